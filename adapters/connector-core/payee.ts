// The payee half of FSPIOP, done once: answer lookups, quotes (with the ILP packet and condition) and
// transfer prepares (with the fulfilment) from the core's backend, and tell the backend the switch's final
// state. Quotes and prepares are recorded by their own id before any work: a repeat gets the first answer
// again and the backend is asked once. The payee answers a prepare RESERVED, so the switch's PATCH (or,
// after a restart, its answer to GET /transfers/{id}) says when the credit is final.
import type { Logger } from 'pino'
import { checkAmount } from '../../ledger/domain/money.ts'
import { checkPrepare, ilpTermsFor, transactionOf } from './ilp.ts'
import { FspiopFailure } from './fspiop-failure.ts'
import type { PayeeBackend } from './payee-backend.ts'
import type { InboundStore } from './payment-store.ts'
import type { SwitchClient } from './switch-client.ts'

export const QUOTE_EXPIRY_MS = 60_000

export interface PayeeDeps {
  fspId: string
  ilpSecret: string
  ilpAddress: string
  backend: PayeeBackend
  inbound: InboundStore
  client: SwitchClient
  logger: Logger
}

type Answer = { path: string; body: unknown }

export function createPayee(deps: PayeeDeps) {
  const { backend, inbound, client, logger } = deps

  async function answerParty(idType: string, idValue: string, subId: string | undefined, requester: string): Promise<void> {
    const base = `/parties/${idType}/${idValue}${subId ? `/${subId}` : ''}`
    try {
      const { party } = await backend.lookupParty(idType, idValue, subId)
      await client.send('PUT', base, 'parties', { party: { ...party, partyIdInfo: { ...party.partyIdInfo, fspId: deps.fspId } } }, requester)
    } catch (error) {
      await client.send('PUT', `${base}/error`, 'parties', failureOf(error).toBody(), requester)
    }
  }

  async function answerQuote(request: any, requester: string): Promise<void> {
    const claimed = await inbound.claim('quote', request.quoteId, requester, request)
    if (!claimed.first) return resend(claimed.row.answer, 'quotes', requester)
    await workOnQuote(request, requester)
  }

  async function workOnQuote(request: any, requester: string): Promise<void> {
    let answer: Answer
    try {
      const terms = await backend.quote(request, requester)
      const transferAmount = terms.transferAmount
      const amountCheck = checkAmount(transferAmount?.amount, transferAmount?.currency ?? '')
      if (!amountCheck.ok || transferAmount.currency !== request.amount.currency) throw FspiopFailure.of('2001', `the core quoted an unusable amount: ${JSON.stringify(transferAmount)}`)
      const expiration = terms.expiration ?? new Date(Date.now() + QUOTE_EXPIRY_MS).toISOString()
      const ilp = ilpTermsFor(deps.ilpSecret, transactionOf(request, { transferAmount, expiration }), deps.ilpAddress)
      const body = {
        transferAmount, expiration, ilpPacket: ilp.ilpPacket, condition: ilp.condition,
        ...(terms.payeeReceiveAmount ? { payeeReceiveAmount: terms.payeeReceiveAmount } : {}),
        ...(terms.payeeFspFee ? { payeeFspFee: terms.payeeFspFee } : {}),
        ...(terms.payeeFspCommission ? { payeeFspCommission: terms.payeeFspCommission } : {}),
      }
      answer = { path: `/quotes/${request.quoteId}`, body }
      await inbound.move('quote', request.quoteId, ['RECEIVED'], 'ANSWERED', answer)
    } catch (error) {
      answer = { path: `/quotes/${request.quoteId}/error`, body: failureOf(error).toBody() }
      await inbound.move('quote', request.quoteId, ['RECEIVED'], 'REJECTED', answer)
    }
    await client.send('PUT', answer.path, 'quotes', answer.body, requester)
  }

  async function answerPrepare(prepare: any, requester: string): Promise<void> {
    const claimed = await inbound.claim('transfer', prepare.transferId, requester, prepare)
    if (!claimed.first) return resend(claimed.row.answer, 'transfers', requester)
    await workOnPrepare(prepare, requester)
  }

  async function workOnPrepare(prepare: any, requester: string): Promise<void> {
    const id = prepare.transferId as string
    const check = checkPrepare(deps.ilpSecret, prepare)
    let answer: Answer
    let reserved = false
    try {
      if (!check.ok) throw FspiopFailure.of('3106', check.reason)
      if (Date.parse(prepare.expiration) <= Date.now()) throw FspiopFailure.of('3303', `the transfer expired at ${prepare.expiration}`)
      await backend.credit({ transferId: id, amount: prepare.amount, transaction: check.transaction, payerFsp: prepare.payerFsp })
      reserved = true
      answer = { path: `/transfers/${id}`, body: { transferState: 'RESERVED', fulfilment: check.fulfilment, completedTimestamp: new Date().toISOString() } }
      await inbound.move('transfer', id, ['RECEIVED'], 'ANSWERED', answer)
    } catch (error) {
      answer = { path: `/transfers/${id}/error`, body: failureOf(error).toBody() }
      await inbound.move('transfer', id, ['RECEIVED'], 'REJECTED', answer)
    }
    const sent = await client.send('PUT', answer.path, 'transfers', answer.body, requester)
    // The switch refused the fulfil itself: the transfer cannot commit with it.
    if (reserved && sent.status >= 300) await finish(id, 'ABORTED', { errorCode: FspiopFailure.fromBody(sent.body).errorCode })
  }

  /** The switch's final state for a transfer this payee reserved (PATCH, or its answer to GET /transfers/{id}). */
  async function finish(transferId: string, state: 'COMMITTED' | 'ABORTED', detail: { completedTimestamp?: string; errorCode?: string }): Promise<void> {
    const row = await inbound.get('transfer', transferId)
    if (row?.state !== 'ANSWERED') return
    // The backend first: if it cannot be told now, the row stays ANSWERED and recovery asks again.
    await backend.notifyFinal(transferId, state, detail)
    if (await inbound.move('transfer', transferId, ['ANSWERED'], state)) logger.info({ transferId, state }, 'payee: transfer final')
  }

  async function resend(answer: Answer | null, resource: string, requester: string): Promise<void> {
    // Still being worked on: the first request's answer will come.
    if (answer) await client.send('PUT', answer.path, resource, answer.body, requester)
  }

  /** After a restart: finish the work a crash cut short, ask the switch about reserved transfers. */
  async function recover(): Promise<void> {
    for (const row of await inbound.inState('quote', ['RECEIVED'])) await workOnQuote(row.request, row.source)
    // Items of a bulk are worked again with their bulk (bulk-payee.ts), never answered one by one.
    for (const row of await inbound.inState('transfer', ['RECEIVED'])) if (row.request?.bulkTransferId === undefined) await workOnPrepare(row.request, row.source)
    for (const row of await inbound.inState('transfer', ['ANSWERED'])) await client.send('GET', `/transfers/${row.messageId}`, 'transfers', undefined, undefined)
  }

  /** While running: a reserved transfer without the switch's final state for `quiet_ms` is asked about. */
  async function askAboutQuiet(quiet_ms: number): Promise<number> {
    const quiet = await inbound.inState('transfer', ['ANSWERED'], new Date(Date.now() - quiet_ms))
    for (const row of quiet) await client.send('GET', `/transfers/${row.messageId}`, 'transfers', undefined, undefined)
    return quiet.length
  }

  /** Quotes and prepares a start finds unfinished. */
  async function unfinished(): Promise<number> {
    return (await inbound.inState('quote', ['RECEIVED'])).length + (await inbound.inState('transfer', ['RECEIVED', 'ANSWERED'])).length
  }

  return { answerParty, answerQuote, answerPrepare, finish, recover, unfinished, askAboutQuiet, isPayeeOf: async (transferId: string) => (await inbound.get('transfer', transferId)) !== undefined }
}
export type Payee = ReturnType<typeof createPayee>

/** A refusal the backend or a check gave, or 2001 when the core could not be asked at all. */
function failureOf(error: unknown): FspiopFailure {
  if (error instanceof FspiopFailure) return error
  return FspiopFailure.of('2001', (error as Error).message)
}
