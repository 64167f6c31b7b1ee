// The switch's own way to pay in bulk on a payer's behalf (G2P disbursements use it): a bulk quote and
// a bulk transfer to one payee DFSP, exactly as if the payer had sent POST /bulkQuotes and
// POST /bulkTransfers, except that the results come back here instead of as callbacks to the payer.
// Both calls are idempotent per id: called again after a crash they answer the same results and never
// pay twice. Amounts are FSPIOP strings (never numbers).

export interface BulkQuoteItem {
  quoteId: string
  transactionId: string
  payee: { partyIdType: string; partyIdentifier: string }
  amount: string
  currency: string
  note?: string
}

export type BulkQuoteItemResult =
  | { quoteId: string; ok: true; transferAmount: { amount: string; currency: string }; ilpPacket: string; condition: string }
  | { quoteId: string; ok: false; errorCode: string; errorDescription: string }

export interface BulkTransferItem {
  transferId: string
  amount: string
  currency: string
  ilpPacket: string
  condition: string
}

export type BulkTransferItemResult =
  | { transferId: string; state: 'COMMITTED' }
  | { transferId: string; state: 'ABORTED' | 'EXPIRED'; errorCode: string; errorDescription: string }

export interface BulkPayments {
  /** POST /bulkQuotes to the payee DFSP on the payer's behalf; resolves once the payee answered (or the expiration passed: every item then fails 3302). */
  quote(input: {
    bulkQuoteId: string
    payerFsp: string
    payeeFsp: string
    expiration: string
    items: BulkQuoteItem[]
  }): Promise<BulkQuoteItemResult[]>
  /** Prepares the bulk through the position pipeline (each item against the payer's limits), forwards it to the payee and resolves with every item's final state. */
  transfer(input: {
    bulkTransferId: string
    bulkQuoteId: string
    payerFsp: string
    payeeFsp: string
    expiration: string
    items: BulkTransferItem[]
  }): Promise<BulkTransferItemResult[]>
}
