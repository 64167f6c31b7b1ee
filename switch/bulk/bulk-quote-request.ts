// The FSPIOP bodies BulkPayments sends on a payer's behalf and how it reads the answers. Pure.
import type { BulkQuoteItem, BulkQuoteItemResult, BulkTransferItem, BulkTransferItemResult } from './bulk-payments.ts'
import type { BulkTransferAnswerBody, BulkTransferPrepareBody } from '../transfers/bulk-messages.ts'
import type { ErrorInformation } from '../fspiop/errors.ts'

export function bulkQuoteBody(input: { bulkQuoteId: string; payerFsp: string; payeeFsp: string; expiration: string; items: BulkQuoteItem[] }) {
  return {
    bulkQuoteId: input.bulkQuoteId,
    payer: { partyIdInfo: { partyIdType: 'BUSINESS', partyIdentifier: input.payerFsp, fspId: input.payerFsp } },
    expiration: input.expiration,
    individualQuotes: input.items.map((q) => ({
      quoteId: q.quoteId, transactionId: q.transactionId,
      payee: { partyIdInfo: { partyIdType: q.payee.partyIdType, partyIdentifier: q.payee.partyIdentifier, fspId: input.payeeFsp } },
      amountType: 'SEND', amount: { amount: q.amount, currency: q.currency },
      transactionType: { scenario: 'DISBURSEMENT', initiator: 'PAYER', initiatorType: 'BUSINESS' },
      ...(q.note ? { note: q.note } : {}),
    })),
  }
}

interface IndividualQuoteResult {
  quoteId: string
  transferAmount?: { amount: string; currency: string }
  ilpPacket?: string
  condition?: string
  errorInformation?: ErrorInformation
}

/** Every item's result from the payee's stored answer (PUT /bulkQuotes/{id} or its error). */
export function quoteResults(items: readonly BulkQuoteItem[], answer: { error: boolean; body: unknown }): BulkQuoteItemResult[] {
  const fail = (quoteId: string, e: ErrorInformation): BulkQuoteItemResult => ({ quoteId, ok: false, errorCode: e.errorCode, errorDescription: e.errorDescription })
  if (answer.error) {
    const info = (answer.body as { errorInformation: ErrorInformation }).errorInformation
    return items.map((q) => fail(q.quoteId, info))
  }
  const results = new Map(((answer.body as { individualQuoteResults?: IndividualQuoteResult[] }).individualQuoteResults ?? []).map((r) => [r.quoteId, r]))
  return items.map((q) => {
    const r = results.get(q.quoteId)
    if (!r) return fail(q.quoteId, { errorCode: '5000', errorDescription: 'missing from the payee\'s answer' })
    if (r.errorInformation) return fail(q.quoteId, r.errorInformation)
    if (!r.ilpPacket || !r.condition) return fail(q.quoteId, { errorCode: '5000', errorDescription: 'the payee\'s answer has no ILP packet or condition' })
    return { quoteId: q.quoteId, ok: true, transferAmount: r.transferAmount ?? { amount: q.amount, currency: q.currency }, ilpPacket: r.ilpPacket, condition: r.condition }
  })
}

/** Every item failed with one error (a refusal before anything was sent, an expiration passed). */
export function quotesFailed(items: readonly BulkQuoteItem[], errorCode: string, errorDescription: string): BulkQuoteItemResult[] {
  return items.map((q) => ({ quoteId: q.quoteId, ok: false, errorCode, errorDescription }))
}

export function bulkTransferBody(input: { bulkTransferId: string; bulkQuoteId: string; payerFsp: string; payeeFsp: string; expiration: string; items: BulkTransferItem[] }): BulkTransferPrepareBody {
  return {
    bulkTransferId: input.bulkTransferId, bulkQuoteId: input.bulkQuoteId, payerFsp: input.payerFsp, payeeFsp: input.payeeFsp, expiration: input.expiration,
    individualTransfers: input.items.map((t) => ({ transferId: t.transferId, transferAmount: { amount: t.amount, currency: t.currency }, ilpPacket: t.ilpPacket, condition: t.condition })),
  }
}

/** Every item's final state from the bulk's stored result and its transfers' states (EXPIRED is the ledger's word). */
export function transferResults(result: BulkTransferAnswerBody, states: ReadonlyMap<string, string>): BulkTransferItemResult[] {
  return (result.individualTransferResults ?? []).map((r): BulkTransferItemResult => {
    if (r.fulfilment && !r.errorInformation) return { transferId: r.transferId, state: 'COMMITTED' }
    const state = states.get(r.transferId) === 'EXPIRED' || r.errorInformation?.errorCode === '3303' ? 'EXPIRED' : 'ABORTED'
    return { transferId: r.transferId, state, errorCode: r.errorInformation?.errorCode ?? '2001', errorDescription: r.errorInformation?.errorDescription ?? 'no result' }
  })
}
