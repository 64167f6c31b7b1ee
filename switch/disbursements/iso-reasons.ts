// ISO 20022 status reason codes (ExternalStatusReason1Code) for what a pain.002 reports: why a file was
// refused, and why one beneficiary was not paid (from the FSPIOP error the switch or the payee gave).
import type { RefusalKind } from './submission.ts'

export const ISO_REASON_OF_REFUSAL: Readonly<Record<RefusalKind, string>> = {
  malformed: 'FF01', // invalid file format
  schema: 'FF01',
  amount: 'AM12', // invalid amount
  currency: 'AM03', // not allowed currency
  empty: 'AM18', // invalid number of transactions
  'too-many': 'AM18',
  party: 'AC01', // incorrect account number (the beneficiary's identifier)
  id: 'FF01',
  conflict: 'DU01', // duplicate message id
  payer: 'AG01', // transaction forbidden
}

/** FSPIOP error code of an unpaid beneficiary → ISO reason. */
export function isoReasonOfFspiop(code: string | null): string {
  if (!code) return 'MS03'
  if (code === '3204' || code === '3200' || code === '3003') return 'BE06' // unknown end customer
  if (code === '4001' || code === '4200') return 'AM04' // insufficient funds (payer's liquidity or limit)
  if (code === '3302' || code === '3303') return 'AB05' // timeout at the creditor agent
  if (code.startsWith('5')) return 'AG03' // transaction not supported by the creditor's DFSP
  return 'MS03' // reason not specified
}
