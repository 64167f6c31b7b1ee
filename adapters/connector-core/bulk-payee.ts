// The payee half of FSPIOP bulk (POST /bulkQuotes, POST /bulkTransfers and the switch's final
// PUT /bulkTransfers/{id}): every item is answered as its single counterpart would be (payee.ts), from the
// same backend, and reported per item. A bulk quote asks the backend for each quote and answers each with
// its own ILP packet and condition (or the item's error). A bulk transfer records each item as an inbound
// transfer of its own before the backend credits it (so a repeat, a restart or the quiet sweep treats it
// like any single transfer), answers the fulfilment of each credit the backend took and the error of each
// it refused, and the switch's final PUT commits or aborts each item with the backend. A repeated bulk
// gets its first answer again; a bulk a stop cut short is worked again at start (the backend's credit is
// idempotent by transfer id).
import type { Logger } from 'pino'
import { checkAmount } from '../../ledger/domain/money.ts'
import { checkPrepare, ilpTermsFor, transactionOf, type Money, type PartyIdInfo } from './ilp.ts'
import { FspiopFailure } from './fspiop-failure.ts'
import type { PayeeBackend } from './payee-backend.ts'
import type { InboundStore } from './payment-store.ts'
import type { SwitchClient } from './switch-client.ts'

export const BULK_QUOTE_EXPIRY_MS = 60_000
/** Backend calls in flight at once for one bulk (a bulk has up to 1,000 items). */
export const BULK_ITEMS_IN_FLIGHT = 8

export interface BulkPayeeDeps {
  ilpSecret: string
  ilpAddress: string
  backend: PayeeBackend
  inbound: InboundStore
  client: SwitchClient
  logger: Logger
  /** The single payee's final step for one transfer it reserved (payee.finish). */
  finish(transferId: string, state: 'COMMITTED' | 'ABORTED', detail: { completedTimestamp?: string; errorCode?: string }): Promise<void>
}

type Answer = { path: string; body: unknown }
type ErrorInformation = { errorCode: string; errorDescription: string }
export interface IndividualQuote {
  quoteId: string; transactionId: string; amountType?: string; amount: Money; note?: string
  payee: { partyIdInfo: PartyIdInfo } & Record<string, unknown>; transactionType: Record<string, unknown>
}
export interface BulkQuoteRequest { bulkQuoteId: string; payer: { partyIdInfo: PartyIdInfo } & Record<string, unknown>; expiration?: string; individualQuotes: IndividualQuote[] }
export interface BulkTransferRequest {
  bulkTransferId: string; bulkQuoteId?: string; payerFsp: string; payeeFsp: string; expiration: string
  individualTransfers: { transferId: string; transferAmount: { amount: string; currency: string }; ilpPacket: string; condition: string }[]
}
interface ItemResult { transferId: string; fulfilment?: string; errorInformation?: ErrorInformation }

const failureOf = (error: unknown) => (error instanceof FspiopFailure ? error : FspiopFailure.of('2001', (error as Error).message))
const errorOf = (error: unknown): ErrorInformation => failureOf(error).toBody().errorInformation

/** Runs `work` on every item, at most `inFlight` at once, keeping the items' order in the results. */
async function eachBounded<T, R>(items: readonly T[], inFlight: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      results[i] = await work(items[i]!)
    }
  }
  await Promise.all(Array.from({ length: Math.min(inFlight, items.length) }, worker))
  return results
}

export function createBulkPayee(deps: BulkPayeeDeps) {
  const { backend, inbound, client, logger } = deps

  async function answerBulkQuote(request: BulkQuoteRequest, requester: string): Promise<void> {
    const claimed = await inbound.claim('bulkQuote', request.bulkQuoteId, requester, request)
    if (!claimed.first) return resend(claimed.row.answer, 'bulkQuotes', requester)
    await workOnBulkQuote(request, requester)
  }

  async function quoteItem(request: BulkQuoteRequest, item: IndividualQuote, requester: string, expiration: string) {
    try {
      // The item as a single quote request: the bulk's payer, the item's own payee, amount and type.
      const single = { ...item, payer: request.payer }
      const terms = await backend.quote(single, requester)
      const transferAmount = terms.transferAmount
      const amountCheck = checkAmount(transferAmount?.amount, transferAmount?.currency ?? '')
      if (!amountCheck.ok || transferAmount.currency !== item.amount?.currency) throw FspiopFailure.of('2001', `the core quoted an unusable amount: ${JSON.stringify(transferAmount)}`)
      const ilp = ilpTermsFor(deps.ilpSecret, transactionOf(single, { transferAmount, expiration }), deps.ilpAddress)
      return {
        quoteId: item.quoteId, transferAmount, ilpPacket: ilp.ilpPacket, condition: ilp.condition,
        ...(terms.payeeReceiveAmount ? { payeeReceiveAmount: terms.payeeReceiveAmount } : {}),
        ...(terms.payeeFspFee ? { payeeFspFee: terms.payeeFspFee } : {}),
        ...(terms.payeeFspCommission ? { payeeFspCommission: terms.payeeFspCommission } : {}),
      }
    } catch (error) {
      return { quoteId: item.quoteId, errorInformation: errorOf(error) }
    }
  }

  async function workOnBulkQuote(request: BulkQuoteRequest, requester: string): Promise<void> {
    let answer: Answer
    try {
      if (!Array.isArray(request.individualQuotes) || request.individualQuotes.length === 0) throw FspiopFailure.of('3100', 'individualQuotes must be a non-empty array')
      // One expiration for the whole bulk (the packets carry it): the payer's, or this payee's default.
      const expiration = request.expiration ?? new Date(Date.now() + BULK_QUOTE_EXPIRY_MS).toISOString()
      const individualQuoteResults = await eachBounded(request.individualQuotes, BULK_ITEMS_IN_FLIGHT, (item) => quoteItem(request, item, requester, expiration))
      answer = { path: `/bulkQuotes/${request.bulkQuoteId}`, body: { expiration, individualQuoteResults } }
      await inbound.move('bulkQuote', request.bulkQuoteId, ['RECEIVED'], 'ANSWERED', answer)
    } catch (error) {
      answer = { path: `/bulkQuotes/${request.bulkQuoteId}/error`, body: failureOf(error).toBody() }
      await inbound.move('bulkQuote', request.bulkQuoteId, ['RECEIVED'], 'REJECTED', answer)
    }
    await client.send('PUT', answer.path, 'bulkQuotes', answer.body, requester)
  }

  async function answerBulkTransfer(request: BulkTransferRequest, requester: string): Promise<void> {
    const claimed = await inbound.claim('bulkTransfer', request.bulkTransferId, requester, request)
    if (!claimed.first) return resend(claimed.row.answer, 'bulkTransfers', requester)
    await workOnBulkTransfer(request, requester)
  }

  /** One item: recorded as an inbound transfer, credited by the backend, its fulfilment or error. */
  async function transferItem(request: BulkTransferRequest, item: BulkTransferRequest['individualTransfers'][number], requester: string): Promise<ItemResult> {
    const prepare = {
      transferId: item.transferId, payerFsp: request.payerFsp, payeeFsp: request.payeeFsp, amount: item.transferAmount,
      ilpPacket: item.ilpPacket, condition: item.condition, expiration: request.expiration, bulkTransferId: request.bulkTransferId,
    }
    const claimed = await inbound.claim('transfer', item.transferId, requester, prepare)
    if (!claimed.first && claimed.row.state !== 'RECEIVED') {
      // Worked on before (a repeat after a stop): the answer given then.
      const body = claimed.row.answer?.body as { fulfilment?: string; errorInformation?: ErrorInformation } | undefined
      return body?.fulfilment ? { transferId: item.transferId, fulfilment: body.fulfilment } : { transferId: item.transferId, errorInformation: body?.errorInformation ?? { errorCode: '2001', errorDescription: 'no answer recorded' } }
    }
    const check = checkPrepare(deps.ilpSecret, prepare)
    try {
      if (!check.ok) throw FspiopFailure.of('3106', check.reason)
      if (Date.parse(request.expiration) <= Date.now()) throw FspiopFailure.of('3303', `the bulk transfer expired at ${request.expiration}`)
      await backend.credit({ transferId: item.transferId, amount: item.transferAmount, transaction: check.transaction, payerFsp: request.payerFsp })
      const body = { transferState: 'RESERVED', fulfilment: check.fulfilment, completedTimestamp: new Date().toISOString() }
      await inbound.move('transfer', item.transferId, ['RECEIVED'], 'ANSWERED', { path: `/transfers/${item.transferId}`, body })
      return { transferId: item.transferId, fulfilment: check.fulfilment }
    } catch (error) {
      const body = failureOf(error).toBody()
      await inbound.move('transfer', item.transferId, ['RECEIVED'], 'REJECTED', { path: `/transfers/${item.transferId}/error`, body })
      return { transferId: item.transferId, errorInformation: body.errorInformation }
    }
  }

  async function workOnBulkTransfer(request: BulkTransferRequest, requester: string): Promise<void> {
    let answer: Answer
    try {
      if (!Array.isArray(request.individualTransfers) || request.individualTransfers.length === 0) throw FspiopFailure.of('3100', 'individualTransfers must be a non-empty array')
      const individualTransferResults = await eachBounded(request.individualTransfers, BULK_ITEMS_IN_FLIGHT, (item) => transferItem(request, item, requester))
      answer = { path: `/bulkTransfers/${request.bulkTransferId}`, body: { bulkTransferState: 'COMPLETED', completedTimestamp: new Date().toISOString(), individualTransferResults } }
      await inbound.move('bulkTransfer', request.bulkTransferId, ['RECEIVED'], 'ANSWERED', answer)
    } catch (error) {
      answer = { path: `/bulkTransfers/${request.bulkTransferId}/error`, body: failureOf(error).toBody() }
      await inbound.move('bulkTransfer', request.bulkTransferId, ['RECEIVED'], 'REJECTED', answer)
    }
    const sent = await client.send('PUT', answer.path, 'bulkTransfers', answer.body, requester)
    if (sent.status >= 300) logger.warn({ bulkTransferId: request.bulkTransferId, status: sent.status }, 'payee: the switch refused the bulk transfer answer; its items are asked about by the quiet sweep')
  }

  /** The switch's final PUT /bulkTransfers/{id}: each item committed (fulfilment, no error) or aborted. */
  async function finishBulk(bulkTransferId: string, body: { individualTransferResults?: ItemResult[] } | undefined): Promise<void> {
    for (const r of body?.individualTransferResults ?? []) {
      if (typeof r?.transferId !== 'string') continue
      if (r.fulfilment && !r.errorInformation) await deps.finish(r.transferId, 'COMMITTED', {})
      else await deps.finish(r.transferId, 'ABORTED', { errorCode: r.errorInformation?.errorCode })
    }
    await inbound.move('bulkTransfer', bulkTransferId, ['ANSWERED'], 'COMMITTED')
  }

  /** The switch's PUT /bulkTransfers/{id}/error: nothing of the bulk commits. */
  async function abortBulk(bulkTransferId: string): Promise<void> {
    const row = await inbound.get('bulkTransfer', bulkTransferId)
    if (!row) return
    for (const item of (row.request as BulkTransferRequest).individualTransfers ?? []) await deps.finish(item.transferId, 'ABORTED', {})
    await inbound.move('bulkTransfer', bulkTransferId, ['ANSWERED'], 'ABORTED')
  }

  async function resend(answer: Answer | null, resource: string, requester: string): Promise<void> {
    if (answer) await client.send('PUT', answer.path, resource, answer.body, requester)
  }

  /** After a restart: the bulks a stop cut short are worked again (items already answered keep their answer). */
  async function recover(): Promise<void> {
    for (const row of await inbound.inState('bulkQuote', ['RECEIVED'])) await workOnBulkQuote(row.request as BulkQuoteRequest, row.source)
    for (const row of await inbound.inState('bulkTransfer', ['RECEIVED'])) await workOnBulkTransfer(row.request as BulkTransferRequest, row.source)
  }

  async function unfinished(): Promise<number> {
    return (await inbound.inState('bulkQuote', ['RECEIVED'])).length + (await inbound.inState('bulkTransfer', ['RECEIVED'])).length
  }

  return { answerBulkQuote, answerBulkTransfer, finishBulk, abortBulk, recover, unfinished }
}
export type BulkPayee = ReturnType<typeof createBulkPayee>
