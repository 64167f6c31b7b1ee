// The payee half for a bank core that speaks ISO 20022 (connector-core's PayeeBackend): a look-up of its
// customer is an acmt.023 the core answers with acmt.024; a quote is this connector's own (the amount
// sent is the amount received, no fees), which also keeps the payer bank's references; a prepared
// transfer is a pacs.008 the core answers with pacs.002 (ACSC/ACCC take the credit, RJCT refuses it with
// a reason); the switch's commit is a camt.054 credit notification, an abort a pacs.002 RJCT.
import { randomUUID } from 'node:crypto'
import { FspiopFailure } from '../connector-core/fspiop-failure.ts'
import type { BackendParty, PayeeBackend, QuoteTerms } from '../connector-core/payee-backend.ts'
import { readAcmt024, writeAcmt023 } from './acmt.ts'
import { writeCamt054 } from './camt.ts'
import { CoreRefused, type CoreLink } from './core-link.ts'
import type { IsoStore, NotificationKind } from './iso-store.ts'
import { readDocument } from './iso-xml.ts'
import { writePacs008, type CreditTransfer } from './pacs008.ts'
import { readPacs002, writePacs002 } from './pacs002.ts'
import { creditTransferOf, refsOfExtensions } from './payment-mapping.ts'
import { fspiopCodeOf, isoReasonOf } from './reason-codes.ts'
import { fspiopAmountOf } from './iso-amount.ts'

/** A core's pacs.002 status that takes the credit. */
const ACCEPTED = new Set(['ACSC', 'ACCC', 'ACSP'])
const newMsgId = () => randomUUID().replace(/-/g, '')

export function createIsoPayeeBackend(deps: { fspId: string; core: CoreLink; store: IsoStore }): PayeeBackend {
  const { core, store } = deps
  const now = () => new Date().toISOString()

  async function ask<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work()
    } catch (error) {
      if (error instanceof FspiopFailure) throw error
      // The core could not be reached or answered nonsense: the payee FSP's own failure.
      throw FspiopFailure.of(error instanceof CoreRefused ? '5105' : '2001', (error as Error).message)
    }
  }

  async function deliverOnce(transferId: string, direction: NotificationKind, xml: string, name: string): Promise<void> {
    await store.claimNotification(transferId, direction, xml)
    const pending = (await store.undelivered()).find((n) => n.transferId === transferId && n.direction === direction)
    if (!pending) return
    await core.notify(name, pending.xml)
    await store.delivered(transferId, direction)
  }

  return {
    async lookupParty(idType, idValue): Promise<BackendParty> {
      const reply = await ask(() => core.ask(writeAcmt023({ msgId: newMsgId(), createdAt: now(), id: newMsgId(), party: { idType, idValue }, assigner: 'Hub', assignee: deps.fspId }), 'acmt.024'))
      const report = readAcmt024(readDocument(reply))
      if (!report.verified) throw FspiopFailure.of(fspiopCodeOf(report.reason ?? 'AC01'), `the bank core did not verify ${idType}/${idValue} (${report.reason ?? 'no reason'})`)
      return { party: { partyIdInfo: { partyIdType: idType, partyIdentifier: idValue }, ...(report.name ? { name: report.name.slice(0, 128) } : {}) } }
    },

    async quote(request): Promise<QuoteTerms> {
      const amount = request.amount as { amount: string; currency: string }
      const scale = fspiopAmountOf(amount.amount, amount.currency)
      if (!scale.ok) throw FspiopFailure.of(fspiopCodeOf(scale.reason), scale.message)
      const refs = refsOfExtensions(request.extensionList?.extension)
      if (request.note && !refs.RmtInf) refs.RmtInf = String(request.note)
      await store.saveRefs(String(request.transactionId), refs)
      return { transferAmount: amount, payeeReceiveAmount: amount }
    },

    async credit(c) {
      const transfer: CreditTransfer = creditTransferOf({ transferId: c.transferId, transaction: c.transaction, amount: c.amount, payerFsp: c.payerFsp, fspId: deps.fspId, refs: await store.refsOf(c.transaction.transactionId), now: now() })
      await store.saveCredit(c.transferId, transfer)
      const reply = await ask(() => core.ask(writePacs008(transfer), 'pacs.002'))
      const status = readPacs002(readDocument(reply))
      if (!ACCEPTED.has(status.status ?? '')) throw FspiopFailure.of(fspiopCodeOf(status.reason), `the bank core answered ${status.status} ${status.reason ?? ''} ${status.info ?? ''}`.trim())
      return { homeTransactionId: transfer.msgId }
    },

    async notifyFinal(transferId, state, detail) {
      const transfer = (await store.creditOf(transferId)) as CreditTransfer | undefined
      if (!transfer) return
      if (state === 'COMMITTED') {
        const fspAmount = fspiopAmountOf(transfer.amount, transfer.currency)
        const entry = {
          direction: 'CRDT' as const, amount: fspAmount.ok ? fspAmount.amount : transfer.amount, currency: transfer.currency, bookedAt: detail.completedTimestamp ?? now(),
          msgId: transfer.msgId, endToEndId: transfer.endToEndId, txId: transfer.txId, uetr: transfer.uetr, debtor: transfer.debtor, creditor: transfer.creditor,
          debtorAgent: transfer.debtorAgent ?? 'NOTPROVIDED', creditorAgent: deps.fspId, remittance: transfer.remittance,
        }
        await deliverOnce(transferId, 'CRDT', writeCamt054({ msgId: newMsgId(), createdAt: now(), account: transfer.creditor, entry }), `camt.054-${transferId}-CRDT.xml`)
        return
      }
      const xml = writePacs002({
        msgId: newMsgId(), createdAt: now(), originalMsgId: transfer.msgId, originalMsgType: 'pacs.008.001.09', status: 'RJCT',
        reason: isoReasonOf(detail.errorCode ?? '5104'), info: 'the switch aborted the transfer: the credit does not stand', endToEndId: transfer.endToEndId, txId: transfer.txId, uetr: transfer.uetr,
      })
      await deliverOnce(transferId, 'RJCT', xml, `pacs.002-${transferId}-RJCT.xml`)
    },
  }
}
