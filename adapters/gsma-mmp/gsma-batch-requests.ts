// The Batch Transaction object the MMP platform posts (POST /batchtransactions, "Bulk Disbursement"): an
// optional batchTitle and batchDescription and a transactions[] array of Transaction objects, each with an
// amount, its currency and a creditParty (the debitParty is the organisation's account and may be left out).
// The whole batch is checked before anything is recorded or sent; a refusal names the transaction by index.
// What the switch's disbursement API would refuse is refused here first, in the GSMA error format: the
// switch pays a batch in one currency (one position account; GSMA lets each transaction name its own), so
// a batch mixing currencies is validation/currencyNotSupported. The batch handed to the switch names each
// credit party by the one identifier this connector routes on (as a single transfer would be routed), so the
// switch resolves the same party the connector checked, whatever other identifiers the platform added.
import { fspiopAmountOf } from './gsma-amount.ts'
import { GsmaError } from './gsma-errors.ts'
import { fspiopPartyOf, identifierOf, type AccountIdentifier } from './gsma-identifiers.ts'
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

/** The transaction's routed credit party, once the transaction passed; else the GsmaError naming its index. */
function checkTransaction(raw: unknown, index: number): AccountIdentifier {
  try {
    const t = bodyOf(raw)
    if (t.type !== undefined && !BATCH_TRANSACTION_TYPES.includes(String(t.type))) {
      throw new GsmaError('businessRule/transactionTypeError', `type ${String(t.type)} is not paid in a batch here (transfer or disbursement)`, [{ key: 'type', value: String(t.type) }])
    }
    if (t.currency === undefined || t.currency === '') throw new GsmaError('validation/mandatoryValueNotSupplied', 'currency is required', [{ key: 'field', value: 'currency' }])
    if (t.amount === undefined || t.amount === '') throw new GsmaError('validation/mandatoryValueNotSupplied', 'amount is required', [{ key: 'field', value: 'amount' }])
    fspiopAmountOf(t.amount, t.currency)
    const credit = fspiopPartyOf(identifiersAt(t, 'creditParty'), 'creditParty')
    if (t.debitParty !== undefined) fspiopPartyOf(identifiersAt(t, 'debitParty'), 'debitParty')
    for (const field of ['requestingOrganisationTransactionReference', 'descriptionText', 'requestDate']) text(t, field, '')
    return identifierOf(credit.idType, credit.idValue)
  } catch (error) {
    throw atIndex(error, index)
  }
}

/** The batch to hand to the switch (each creditParty its routed identifier), once every part of it passed;
 *  otherwise the GsmaError that refuses it. */
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
  const credits = transactions.map(checkTransaction)
  const currency = (transactions[0] as Body).currency
  const other = transactions.findIndex((t) => (t as Body).currency !== currency)
  if (other >= 0) {
    throw new GsmaError('validation/currencyNotSupported', `transactions[${other}]: a batch is paid in one currency, here ${String(currency)}; send the ${String((transactions[other] as Body).currency)} transactions as a batch of their own`, [{ key: 'transactionIndex', value: String(other) }, { key: 'currency', value: String((transactions[other] as Body).currency) }])
  }
  return { ...body, transactions: transactions.map((t, i) => ({ ...(t as Body), creditParty: [credits[i]] })) }
}
