// The paying bank's messages, answered: a pacs.008 is validated, recorded by its MsgId and paid through
// the connector core (lookup, quote, transfer); the answer is a pacs.002 (ACSC, RJCT with its reason, or
// PDNG while the switch has not decided). pacs.028 asks for a payment's status; acmt.023 looks a party up.
// Nothing is paid for a message that is refused, and a message sent again pays nothing more.
import { createHash, randomUUID } from 'node:crypto'
import type { Logger } from 'pino'
import type { Connector } from '../connector-core/connector.ts'
import { FspiopFailure } from '../connector-core/fspiop-failure.ts'
import type { PaymentRow } from '../connector-core/payment-store.ts'
import { stableStringify } from '../connector-core/stable-json.ts'
import { readAcmt023, writeAcmt024 } from './acmt.ts'
import { writeCamt054 } from './camt.ts'
import type { CoreLink } from './core-link.ts'
import { fspiopAmountOf } from './iso-amount.ts'
import type { IsoMessageRow, IsoStore } from './iso-store.ts'
import { readDocument, type XmlNode } from './iso-xml.ts'
import { readPacs008 } from './pacs008.ts'
import { writePacs002, type StatusReport } from './pacs002.ts'
import { readPacs028 } from './pacs028.ts'
import { debitEntryOf, paymentRequestOf, reportOfPayment, statusOfPayment, transferIdOf } from './payment-mapping.ts'
import { isoReasonOf, type IsoReason } from './reason-codes.ts'
import { ISO_MESSAGE_VERSIONS, validateIso } from './xsd-validation.ts'

export interface IsoPayerDeps {
  fspId: string
  connector: Connector
  store: IsoStore
  core: CoreLink
  logger: Logger
}

export interface IsoAnswer {
  xml: string
  /** pacs.002 of a payment not decided yet: its final report comes later (isoSweep). */
  pending: boolean
}

const newMsgId = () => randomUUID().replace(/-/g, '')
const MSG_ID = /<(?:\w+:)?MsgId>([^<]{1,35})<\/(?:\w+:)?MsgId>/

export function createIsoPayer(deps: IsoPayerDeps) {
  const { connector, store, core, logger } = deps
  const now = () => new Date().toISOString()

  /** A message refused as a whole (its transactions are not looked at): a group-level RJCT. */
  function refuse(originalMsgId: string, originalMsgType: string, reason: IsoReason, info: string): IsoAnswer {
    return { xml: writePacs002({ msgId: newMsgId(), createdAt: now(), originalMsgId, originalMsgType, status: 'RJCT', reason, info }), pending: false }
  }

  /** Any message from the bank core; `source` is where it came from (http or the inbox file's name). */
  async function handle(xml: string, source: string): Promise<IsoAnswer> {
    const check = validateIso(xml)
    const guessedId = MSG_ID.exec(xml)?.[1] ?? 'NOTPROVIDED'
    if (!check.ok) return refuse(guessedId, check.type ? ISO_MESSAGE_VERSIONS[check.type] : 'unknown', 'FF01', `${check.problem}: ${check.message}`)
    const message = readDocument(xml)
    if (check.type === 'pacs.008') return pay(message, source)
    if (check.type === 'pacs.028') return status(message)
    if (check.type === 'acmt.023') return { xml: await lookup(message), pending: false }
    return refuse(guessedId, ISO_MESSAGE_VERSIONS[check.type], 'FF01', `${check.type} is not a message a bank sends this connector`)
  }

  async function pay(message: XmlNode, source: string): Promise<IsoAnswer> {
    const read = readPacs008(message)
    const msgId = String((message.GrpHdr as XmlNode).MsgId)
    if (!read.ok) return refuse(msgId, ISO_MESSAGE_VERSIONS['pacs.008'], 'FF01', read.message)
    const t = read.transfer
    const amount = fspiopAmountOf(t.amount, t.currency)
    if (!amount.ok) return refuse(msgId, ISO_MESSAGE_VERSIONS['pacs.008'], amount.reason, amount.message)
    if (t.deadline && Date.parse(t.deadline) <= Date.now()) return refuse(msgId, ISO_MESSAGE_VERSIONS['pacs.008'], 'AB05', `the payment's settlement deadline ${t.deadline} has passed`)
    const digest = createHash('sha256').update(stableStringify(message)).digest('hex')
    const transferId = transferIdOf(deps.fspId, t)
    const claimed = await store.claim({ msgId, msgType: 'pacs.008', digest, transferId, endToEndId: t.endToEndId.slice(0, 35), source })
    if (!claimed.first && claimed.row.digest !== digest) return refuse(msgId, ISO_MESSAGE_VERSIONS['pacs.008'], 'DU01', `message id ${msgId} was used already for another message`)
    if (!claimed.first && claimed.row.answer) return { xml: claimed.row.answer, pending: false }
    // First time, or again before it was answered (a crash, the same file picked up again): the payment
    // is the same one (its transfer id), started if it was not.
    const existing = await connector.payer.get(transferId)
    let payment: PaymentRow
    try {
      payment = existing ?? (await connector.payer.pay(paymentRequestOf(deps.fspId, t, amount.amount)))
    } catch (error) {
      if (!(error instanceof FspiopFailure)) throw error
      const answer = refuse(msgId, ISO_MESSAGE_VERSIONS['pacs.008'], isoReasonOf(error.errorCode), error.errorDescription)
      await store.answer(msgId, answer.xml)
      return answer
    }
    return settle(claimed.first ? { msgId, source } : claimed.row, payment)
  }

  /** The payment's report; a final one is recorded as the message's answer and a payment made is notified (camt.054). */
  async function settle(row: Pick<IsoMessageRow, 'msgId' | 'source'>, payment: PaymentRow): Promise<IsoAnswer> {
    const xml = writePacs002(reportOfPayment(payment, newMsgId(), now()))
    const status = statusOfPayment(payment)
    if (status === 'PDNG') return { xml, pending: true }
    await store.answer(row.msgId, xml)
    if (status === 'ACSC') await notifyDebit(payment)
    return { xml: (await store.find({ msgId: row.msgId }))?.answer ?? xml, pending: false }
  }

  async function notifyDebit(payment: PaymentRow): Promise<void> {
    const entry = debitEntryOf(payment, deps.fspId)
    const xml = writeCamt054({ msgId: newMsgId(), createdAt: now(), account: entry.debtor, entry })
    if (!(await store.claimNotification(payment.transferId, 'DBIT', xml))) return
    try {
      await core.notify(`camt.054-${payment.transferId}-DBIT.xml`, xml)
      await store.delivered(payment.transferId, 'DBIT')
    } catch (error) {
      logger.warn({ transferId: payment.transferId, err: error }, 'iso20022: camt.054 not delivered yet; the sweep sends it again')
    }
  }

  async function status(message: XmlNode): Promise<IsoAnswer> {
    const q = readPacs028(message)
    const row = (q.originalMsgId ? await store.find({ msgId: q.originalMsgId }) : undefined)
      ?? (q.uetr ? await store.find({ transferId: q.uetr.toLowerCase() }) : undefined)
      ?? (q.endToEndId ? await store.find({ endToEndId: q.endToEndId }) : undefined)
    const payment = row ? await connector.payer.get(row.transferId) : undefined
    if (!row || !payment) {
      return { xml: writePacs002({ msgId: newMsgId(), createdAt: now(), originalMsgId: q.originalMsgId ?? 'NOTPROVIDED', originalMsgType: ISO_MESSAGE_VERSIONS['pacs.008'], status: 'RJCT', reason: isoReasonOf('3208'), info: 'no payment with these references', endToEndId: q.endToEndId, txId: q.txId, uetr: q.uetr }), pending: false }
    }
    if (row.answer) return { xml: row.answer, pending: false }
    return settle(row, payment)
  }

  async function lookup(message: XmlNode): Promise<string> {
    const request = readAcmt023(message)
    const base = { msgId: newMsgId(), createdAt: now(), originalMsgId: String((message.Assgnmt as XmlNode).MsgId), assigner: 'Hub', assignee: deps.fspId }
    if (!request) return writeAcmt024({ ...base, originalId: 'NOTPROVIDED', asked: { idType: 'ACCOUNT_ID', idValue: 'NOTPROVIDED' }, reason: 'AC01' })
    try {
      const { party } = await connector.lookupParty(request.party.idType, request.party.idValue)
      return writeAcmt024({ ...base, originalId: request.id, asked: request.party, found: { party: { ...request.party, name: party.name }, fspId: party.partyIdInfo.fspId } })
    } catch (error) {
      const code = error instanceof FspiopFailure ? error.errorCode : '2004'
      return writeAcmt024({ ...base, originalId: request.id, asked: request.party, reason: isoReasonOf(code) })
    }
  }

  return { handle, settle, notifyDebit }
}
export type IsoPayer = ReturnType<typeof createIsoPayer>
export type { StatusReport }
