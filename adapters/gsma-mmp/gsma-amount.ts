// GSMA amounts ("Amount Validation", API Fundamentals): zero to four decimals, trailing zeros allowed, no
// leading zero except before the point, never negative, at most 999999999999999999.9999. Within that, the
// value may not carry more decimals than its currency allows (ledger/domain/currencies.ts); the FSPIOP
// amount is the same value without trailing zeros ("5.50" → "5.5", "200.00" → "200").
import { currencyScale } from '../../ledger/domain/currencies.ts'
import { Decimal, formatAmount } from '../../ledger/domain/money.ts'
import { GsmaError } from './gsma-errors.ts'

export const GSMA_AMOUNT_PATTERN = /^(0|[1-9][0-9]{0,17})(\.[0-9]{1,4})?$/

/** The FSPIOP amount for a GSMA amount and currency, or the GsmaError that refuses it. */
export function fspiopAmountOf(amount: unknown, currency: unknown, field = 'amount'): string {
  const parameter = [{ key: field, value: String(amount) }]
  if (typeof amount !== 'string') throw new GsmaError('validation/formatError', `${field} must be a string`, parameter)
  if (amount.startsWith('-')) throw new GsmaError('validation/negativeValue', `${field} ${amount} is negative`, parameter)
  if (!GSMA_AMOUNT_PATTERN.test(amount)) throw new GsmaError('validation/formatError', `${field} ${amount} is not a valid amount`, parameter)
  const scale = typeof currency === 'string' ? currencyScale(currency) : undefined
  if (scale === undefined) throw new GsmaError('validation/currencyNotSupported', `currency ${String(currency)} is not an ISO 4217 code`, [{ key: 'currency', value: String(currency) }])
  const value = new Decimal(amount)
  if (value.decimalPlaces() > scale) throw new GsmaError('validation/formatError', `${field} ${amount} has more decimals than ${currency} allows (${scale})`, parameter)
  if (value.isZero()) throw new GsmaError('businessRule/lessThanTransactionMinValue', `${field} must be greater than zero`, parameter)
  return formatAmount(value)
}
