// An in-memory BulkPayments for the disbursement tests: deterministic, idempotent per id as the port
// promises (the same bulk id answers the same results and pays nobody twice), with the payer's limit
// applied item by item (4200 past it), payees that refuse a quote, slow answers and crashes (a hook that
// throws before or after the payment is made).
import { createHash } from 'node:crypto'
import { Decimal } from 'decimal.js'
import type { BulkPayments, BulkQuoteItemResult, BulkTransferItemResult } from '../../switch/bulk/bulk-payments.ts'

export interface MemoryBulkOptions {
  /** Per payer: the most it may pay in total (its NDC); unlimited when absent. */
  payerLimit?: Record<string, string>
  /** Party ids whose payee DFSP refuses the quote (5xxx). */
  refusedParties?: ReadonlySet<string>
  /** Each call waits this long before answering. */
  delay_ms?: number
  /** Called around each transfer call; a throw there is a crash of the port or of the caller (`after`: the payment was made). */
  onTransfer?: (moment: 'before' | 'after', call: { bulkTransferId: string; number: number }) => void
}

export interface MemoryBulkPayments extends BulkPayments {
  /** How often each transfer id was committed (never more than once). */
  readonly commits: ReadonlyMap<string, number>
  /** Payee party id → amounts paid to it. */
  readonly paidTo: ReadonlyMap<string, string[]>
  readonly calls: { quote: number; transfer: number }
  setOptions(options: Partial<MemoryBulkOptions>): void
}

export function createMemoryBulkPayments(initial: MemoryBulkOptions = {}): MemoryBulkPayments {
  let options = { ...initial }
  // payees: condition → party id (a transfer item names its quote only by the condition)
  const quotes = new Map<string, { results: BulkQuoteItemResult[]; payees: Map<string, string> }>()
  const transfers = new Map<string, BulkTransferItemResult[]>()
  const committedByPayer = new Map<string, Decimal>()
  const commits = new Map<string, number>()
  const paidTo = new Map<string, string[]>()
  const calls = { quote: 0, transfer: 0 }
  const wait = () => (options.delay_ms ? new Promise((r) => setTimeout(r, options.delay_ms)) : Promise.resolve())
  const conditionOf = (quoteId: string) => createHash('sha256').update(`fulfilment:${quoteId}`).digest('base64url')

  return {
    commits, paidTo, calls,
    setOptions(next) { options = { ...options, ...next } },
    async quote(input) {
      calls.quote++
      await wait()
      const done = quotes.get(input.bulkQuoteId)
      if (done) return done.results
      const payees = new Map<string, string>()
      const results = input.items.map((item): BulkQuoteItemResult => {
        payees.set(conditionOf(item.quoteId), item.payee.partyIdentifier)
        if (options.refusedParties?.has(item.payee.partyIdentifier)) return { quoteId: item.quoteId, ok: false, errorCode: '5100', errorDescription: 'payee refused the quote' }
        return { quoteId: item.quoteId, ok: true, transferAmount: { amount: item.amount, currency: item.currency }, ilpPacket: `ilp:${item.quoteId}`, condition: conditionOf(item.quoteId) }
      })
      quotes.set(input.bulkQuoteId, { results, payees })
      return results
    },
    async transfer(input) {
      calls.transfer++
      const number = calls.transfer
      await wait()
      options.onTransfer?.('before', { bulkTransferId: input.bulkTransferId, number })
      let results = transfers.get(input.bulkTransferId)
      if (!results) {
        const quote = quotes.get(input.bulkQuoteId)
        if (!quote) throw new Error(`bulk quote ${input.bulkQuoteId} unknown`)
        const limit = options.payerLimit?.[input.payerFsp]
        results = input.items.map((item): BulkTransferItemResult => {
          const spent = committedByPayer.get(input.payerFsp) ?? new Decimal(0)
          if (limit !== undefined && spent.plus(item.amount).gt(limit)) return { transferId: item.transferId, state: 'ABORTED', errorCode: '4200', errorDescription: 'Payer limit error' }
          committedByPayer.set(input.payerFsp, spent.plus(item.amount))
          commits.set(item.transferId, (commits.get(item.transferId) ?? 0) + 1)
          const party = quote.payees.get(item.condition) ?? '?'
          paidTo.set(party, [...(paidTo.get(party) ?? []), item.amount])
          return { transferId: item.transferId, state: 'COMMITTED' }
        })
        transfers.set(input.bulkTransferId, results)
      }
      options.onTransfer?.('after', { bulkTransferId: input.bulkTransferId, number })
      return results
    },
  }
}
