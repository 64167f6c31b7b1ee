// The port through which a connector, as payee, asks its DFSP's core: who holds an account, what a
// quote costs, whether it takes a credit, and the final state of a transfer it took. The synchronous API
// implements it over HTTP (adapters/sync-api/backend-client.ts); another adapter (an ISO 20022 bank) can
// implement it its own way. Each method throws FspiopFailure for a refusal.
import type { Money, PartyIdInfo, Transaction } from './ilp.ts'

export interface BackendParty {
  /** The FSPIOP Party (partyIdInfo, name, personalInfo) this DFSP answers a lookup with. */
  party: { partyIdInfo: PartyIdInfo; name?: string; personalInfo?: Record<string, unknown> }
}

export interface QuoteTerms {
  transferAmount: Money
  payeeReceiveAmount?: Money
  payeeFspFee?: Money
  payeeFspCommission?: Money
  /** The core's own expiry for the quote (ISO 8601); the connector's default when absent. */
  expiration?: string
}

export interface CreditRequest {
  transferId: string
  amount: Money
  transaction: Transaction
  payerFsp: string
}

export interface PayeeBackend {
  lookupParty(idType: string, idValue: string, subIdOrType?: string): Promise<BackendParty>
  quote(quoteRequest: Record<string, any>, payerFsp: string): Promise<QuoteTerms>
  /** The core reserves (or books) the credit; answers its own reference. Idempotent by transferId. */
  credit(request: CreditRequest): Promise<{ homeTransactionId?: string }>
  /** The switch's final word on a credit the core took: COMMITTED (the money is the payee's) or ABORTED. */
  notifyFinal(transferId: string, state: 'COMMITTED' | 'ABORTED', detail: { completedTimestamp?: string; errorCode?: string }): Promise<void>
}
