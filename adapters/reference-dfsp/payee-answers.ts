// A reference DFSP's answers, as payee, to party lookups and quotes: from its customers, with a real ILP
// condition (ilp.ts), or the FSPIOP error that says why not.
import { ilpPacketFor } from './ilp.ts'
import type { SwitchClient } from './switch-client.ts'

export function errorBody(errorCode: string, errorDescription: string) {
  return { errorInformation: { errorCode, errorDescription } }
}

/** PUT /parties/{type}/{id} with the customer's name (and, in FSPIOP v2.0, its currencies), or 3204 for a customer this DFSP does not have. */
export async function answerParty(client: SwitchClient, fspId: string, customers: ReadonlyMap<string, { name: string }>, type: string, id: string, requester: string, supportedCurrencies?: string[]): Promise<void> {
  const customer = customers.get(`${type}/${id}`)
  if (!customer) {
    await client.send('PUT', `/parties/${type}/${id}/error`, 'parties', errorBody('3204', 'Party not found'), requester)
    return
  }
  await client.send('PUT', `/parties/${type}/${id}`, 'parties', { party: { partyIdInfo: { partyIdType: type, partyIdentifier: id, fspId }, name: customer.name, ...(supportedCurrencies ? { supportedCurrencies } : {}) } }, requester)
}

export interface QuoteTerms {
  customers: ReadonlyMap<string, unknown>
  /** Refuse every quote with this FSPIOP error code. */
  rejectWith?: string
  conditionFor(ilpPacket: string): string
  /** How long the quote is valid, from now. */
  expiry_ms: number
}

/** PUT /quotes/{id} with the ILP packet and condition, or the error: 3204 for an unknown payee, or the one it refuses quotes with. */
export async function answerQuote(client: SwitchClient, terms: QuoteTerms, quote: any, requester: string): Promise<void> {
  const path = `/quotes/${quote.quoteId}`
  const payee = quote.payee?.partyIdInfo
  if (terms.rejectWith) {
    await client.send('PUT', `${path}/error`, 'quotes', errorBody(terms.rejectWith, 'Payee FSP rejected the quote'), requester)
    return
  }
  if (!payee || !terms.customers.has(`${payee.partyIdType}/${payee.partyIdentifier}`)) {
    await client.send('PUT', `${path}/error`, 'quotes', errorBody('3204', 'Party not found'), requester)
    return
  }
  const ilpPacket = ilpPacketFor({ transactionId: quote.transactionId, quoteId: quote.quoteId, payee: payee.partyIdentifier, amount: quote.amount })
  await client.send('PUT', path, 'quotes', {
    transferAmount: quote.amount, expiration: new Date(Date.now() + terms.expiry_ms).toISOString(), ilpPacket, condition: terms.conditionFor(ilpPacket),
  }, requester)
}
