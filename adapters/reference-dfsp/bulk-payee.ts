// A reference DFSP's answers, as payee, to bulk quotes and bulk transfers: each item like its single
// counterpart (payee-answers.ts, answerTransfer): a quote per item with a real ILP condition or 3204 for
// a customer it does not have; a fulfilment per transfer it can credit or 5000. The switch's final
// PUT /bulkTransfers/{id} books the credits (bulkFinals).
import { fulfilmentFor, ilpPacketFor, transactionOf } from './ilp.ts'
import type { SwitchClient } from './switch-client.ts'
import type { Books, FinalState } from './books.ts'
import type { QuoteTerms } from './payee-answers.ts'

interface IndividualQuote {
  quoteId: string
  transactionId: string
  payee?: { partyIdInfo?: { partyIdType: string; partyIdentifier: string } }
  amount: { amount: string; currency: string }
}

/** What the payee answers for each quote of a bulk quote. */
export function bulkQuoteResults(terms: QuoteTerms, quotes: readonly IndividualQuote[]) {
  return quotes.map((q) => {
    const payee = q.payee?.partyIdInfo
    if (terms.rejectWith) return { quoteId: q.quoteId, errorInformation: { errorCode: terms.rejectWith, errorDescription: 'Payee FSP rejected the quote' } }
    if (!payee || !terms.customers.has(`${payee.partyIdType}/${payee.partyIdentifier}`)) return { quoteId: q.quoteId, errorInformation: { errorCode: '3204', errorDescription: 'Party not found' } }
    const ilpPacket = ilpPacketFor({ transactionId: q.transactionId, quoteId: q.quoteId, payee: payee.partyIdentifier, amount: q.amount })
    return { quoteId: q.quoteId, transferAmount: q.amount, ilpPacket, condition: terms.conditionFor(ilpPacket) }
  })
}

export async function answerBulkQuote(client: SwitchClient, terms: QuoteTerms, body: { bulkQuoteId: string; individualQuotes: IndividualQuote[] }, requester: string): Promise<void> {
  await client.send('PUT', `/bulkQuotes/${body.bulkQuoteId}`, 'bulkQuotes', {
    expiration: new Date(Date.now() + terms.expiry_ms).toISOString(), individualQuoteResults: bulkQuoteResults(terms, body.individualQuotes),
  }, requester)
}

interface IndividualTransfer {
  transferId: string
  transferAmount: { amount: string; currency: string }
  ilpPacket: string
}

/**
 * Each transfer's fulfilment (its credit expected in the books), or 5000 for one it cannot credit. The
 * same bulk again (the switch delivers at least once: after a crash it may send the prepare again, and the
 * first answer may never have reached it) gets the same fulfilment for a transfer already expected or
 * booked, never a refusal of what it has promised.
 */
export function bulkTransferResults(books: Books, secret: string, transfers: readonly IndividualTransfer[]) {
  return transfers.map((t) => {
    const payee = transactionOf(t.ilpPacket)?.payee
    const promised = books.hasExpectedCredit(t.transferId) || books.finals.get(t.transferId)?.state === 'COMMITTED'
    if (typeof payee !== 'string' || !(promised || books.expectCredit(t.transferId, payee, t.transferAmount.amount))) {
      return { transferId: t.transferId, errorInformation: { errorCode: '5000', errorDescription: 'Payee FSP cannot credit this transfer' } }
    }
    return { transferId: t.transferId, fulfilment: fulfilmentFor(secret, t.ilpPacket) }
  })
}

/** `send`: the PUT, sent again while it fails on the way or gets a 5xx (as a single fulfil is), until the bulk expires. */
export async function answerBulkTransfer(send: (path: string, body: object, expiration_ms: number) => Promise<unknown>, books: Books, secret: string, body: { bulkTransferId: string; expiration: string; individualTransfers: IndividualTransfer[] }): Promise<void> {
  await send(`/bulkTransfers/${body.bulkTransferId}`, {
    bulkTransferState: 'COMPLETED', completedTimestamp: new Date().toISOString(), individualTransferResults: bulkTransferResults(books, secret, body.individualTransfers),
  }, Date.parse(body.expiration))
}

/** The final state of each item of the switch's PUT /bulkTransfers/{id}. */
export function bulkFinals(body: { individualTransferResults?: { transferId: string; fulfilment?: string; errorInformation?: unknown }[] }): { transferId: string; state: FinalState }[] {
  return (body.individualTransferResults ?? []).map((r) => ({ transferId: r.transferId, state: r.fulfilment && !r.errorInformation ? 'COMMITTED' : 'ABORTED' }))
}
