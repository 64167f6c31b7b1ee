// Ids the switch sends to the bulk-payments port, derived from the disbursement id (name-based UUID v5,
// RFC 9562): a resumed engine sends the same bulk and item ids, and the port's idempotency per id makes
// sure nobody is paid twice.
import { createHash } from 'node:crypto'

/** This feature's own namespace for UUID v5 names. */
const NAMESPACE = Buffer.from('6f1f3c2a9b0e4d8e8a51c0d7e2b4a913', 'hex')

export function uuidV5(name: string): string {
  const bytes = createHash('sha1').update(NAMESPACE).update(name, 'utf8').digest().subarray(0, 16)
  bytes[6] = (bytes[6]! & 0x0f) | 0x50
  bytes[8] = (bytes[8]! & 0x3f) | 0x80
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

export const disbursementIds = (payerFsp: string, disbursementId: string) => {
  const base = `${payerFsp}/${disbursementId}`
  return {
    bulkQuoteId: (chunkNo: number) => uuidV5(`${base}/bulkQuote/${chunkNo}`),
    bulkTransferId: (chunkNo: number) => uuidV5(`${base}/bulkTransfer/${chunkNo}`),
    quoteId: (itemNo: number) => uuidV5(`${base}/quote/${itemNo}`),
    transactionId: (itemNo: number) => uuidV5(`${base}/transaction/${itemNo}`),
    transferId: (itemNo: number) => uuidV5(`${base}/transfer/${itemNo}`),
  }
}
