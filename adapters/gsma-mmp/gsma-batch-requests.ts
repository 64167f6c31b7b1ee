// The Batch Transaction object the MMP platform posts (POST /batchtransactions, "Bulk Disbursement"): an
// optional batchTitle and batchDescription and a transactions[] array of Transaction objects, each with an
// amount, its currency and a creditParty (the debitParty is the organisation's account and may be left out).
// The whole batch is checked before anything is recorded or sent; a refusal names the transaction by index.
import { fspiopAmountOf } from './gsma-amount.ts'
import { GsmaError } from './gsma-errors.ts'
import { fspiopPartyOf } from './gsma-identifiers.ts'
import { bodyOf, identifiersAt, STRING_CHARS_MAX } from './gsma-requests.ts'

/** Transactions in one batch at most (the switch's disbursement takes the batch whole). */
export const BATCH_TRANSACTIONS_MAX = 1000
/** A batch body's size at most (the other GSMA requests keep API_BODY_BYTES_MAX). */
export const BATCH_BODY_BYTES_MAX = 1_048_576
const BATCH_TRANSACTION_TYPES = ['transfer', 'disbursement']

type Body = Record<string, unknown>

function text(body: Body, field: string, where: string): void {
  const value = body[field]
  if (value === undefined) return
  if (typeof value !== 'string') throw new GsmaError('validation/formatError', `${where}${field} must be a string`, [{ key: 'field', value: `${where}${field}` }])
  if (value.length > STRING_CHARS_MAX) throw new GsmaError('validation/lengthError', `${where}${field} is longer than ${STRING_CHARS_MAX} characters`, [{ key: 'field', value: `${where}${field}` }])
}

/** The error for transaction `index`, with the index as a parameter beside the error's own. */
function atIndex(error: unknown, index: number): unknown {
  if (!(error instanceof GsmaError)) return error
  return new GsmaError(error.key, `transactions[${index}]: ${error.detail ?? ''}`, [{ key: 'transactionIndex', value: String(index) }, ...error.parameters])
}

function checkTransaction(raw: unknown, index: number): void {
  try {
    const t = bodyOf(raw)
    if (t.type !== undefined && !BATCH_TRANSACTION_TYPES.includes(String(t.type))) {
      throw new GsmaError('businessRule/transactionTypeError', `type ${String(t.type)} is not paid in a batch here (transfer or disbursement)`, [{ key: 'type', value: String(t.type) }])
    }
    if (t.currency === undefined || t.currency === '') throw new GsmaError('validation/mandatoryValueNotSupplied', 'currency is required', [{ key: 'field', value: 'currency' }])
    if (t.amount === undefined || t.amount === '') throw new GsmaError('validation/mandatoryValueNotSupplied', 'amount is required', [{ key: 'field', value: 'amount' }])
    fspiopAmountOf(t.amount, t.currency)
    fspiopPartyOf(identifiersAt(t, 'creditParty'), 'creditParty')
    if (t.debitParty !== undefined) fspiopPartyOf(identifiersAt(t, 'debitParty'), 'debitParty')
    for (const field of ['requestingOrganisationTransactionReference', 'descriptionText', 'requestDate']) text(t, field, '')
  } catch (error) {
    throw atIndex(error, index)
  }
}

/** The batch as received, once every part of it passed; otherwise the GsmaError that refuses it. */
export function batchOf(raw: unknown): Body {
  const body = bodyOf(raw)
  text(body, 'batchTitle', '')
  text(body, 'batchDescription', '')
  text(body, 'scheduledStartDate', '')
  const transactions = body.transactions
  if (transactions === undefined || transactions === null) throw new GsmaError('validation/mandatoryValueNotSupplied', 'transactions is required', [{ key: 'field', value: 'transactions' }])
  if (!Array.isArray(transactions)) throw new GsmaError('validation/formatError', 'transactions must be an array of Transaction objects', [{ key: 'field', value: 'transactions' }])
  if (transactions.length === 0) throw new GsmaError('validation/mandatoryValueNotSupplied', 'transactions has no transaction', [{ key: 'field', value: 'transactions' }])
  if (transactions.length > BATCH_TRANSACTIONS_MAX) throw new GsmaError('validation/lengthError', `a batch has at most ${BATCH_TRANSACTIONS_MAX} transactions`, [{ key: 'transactions', value: String(transactions.length) }])
  transactions.forEach(checkTransaction)
  return body
}
