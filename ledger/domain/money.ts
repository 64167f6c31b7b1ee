// The one module that parses, checks and formats money. Amounts travel as strings, live on disk as
// DECIMAL(…,4), are computed with decimal.js, and inside hot loops as bigint ten-thousandths ("units").
import { Decimal } from 'decimal.js'
import { currencyScale } from './currencies.ts'

Decimal.set({ precision: 60, rounding: Decimal.ROUND_HALF_EVEN, toExpNeg: -40, toExpPos: 60 })

/** FSPIOP Amount: up to 18 integer digits, up to 4 decimals, no trailing zero in the decimals. */
export const AMOUNT_PATTERN = /^([0]|([1-9][0-9]{0,17}))([.][0-9]{0,3}[1-9])?$/
/** Ledger values (positions, balances, limits) may be negative and carry trailing zeros. */
const SIGNED_DECIMAL_PATTERN = /^-?\d{1,34}(\.\d{1,4})?$/

export const UNITS_PER_ONE = 10_000n
export const LEDGER_SCALE = 4

export type AmountProblem = 'malformed' | 'negative' | 'zero' | 'unknown-currency' | 'too-many-decimals'

export type AmountCheck = { ok: true; value: Decimal } | { ok: false; problem: AmountProblem; message: string }

/** Checks an amount as a DFSP or operator sends it: FSPIOP format, positive, within the currency's scale. */
export function checkAmount(amount: unknown, currency: string, opts: { allowZero?: boolean } = {}): AmountCheck {
  if (typeof amount !== 'string') return fail('malformed', 'amount must be a string')
  if (amount.startsWith('-')) return fail('negative', `amount ${amount} is negative`)
  if (!AMOUNT_PATTERN.test(amount)) return fail('malformed', `amount ${amount} is not a valid FSPIOP amount`)
  const scale = currencyScale(currency)
  if (scale === undefined) return fail('unknown-currency', `currency ${currency} is not an ISO 4217 code`)
  const value = new Decimal(amount)
  if (value.decimalPlaces() > scale) {
    return fail('too-many-decimals', `amount ${amount} has more decimals than ${currency} allows (${scale})`)
  }
  if (value.isZero() && !opts.allowZero) return fail('zero', 'amount must be greater than zero')
  return { ok: true, value }
}

function fail(problem: AmountProblem, message: string): AmountCheck {
  return { ok: false, problem, message }
}

/** Parses a ledger value (DECIMAL read back from MySQL as a string). Throws: bad data is a bug. */
export function ledgerDecimal(value: string | number | Decimal): Decimal {
  if (value instanceof Decimal) return value
  if (typeof value === 'number') throw new Error(`money: refusing a JS number (${value}); use strings`)
  if (!SIGNED_DECIMAL_PATTERN.test(value)) throw new Error(`money: not a decimal: "${value}"`)
  return new Decimal(value)
}

/** Formats for the wire: no exponent, no trailing zeros ("100.5000" → "100.5", "-0" → "0"). */
export function formatAmount(value: Decimal | string): string {
  const d = value instanceof Decimal ? value : ledgerDecimal(value)
  if (d.isZero()) return '0'
  return d.toFixed()
}

/** Formats for a DECIMAL(…,4) column. */
export function toDbDecimal(value: Decimal | string): string {
  const d = value instanceof Decimal ? value : ledgerDecimal(value)
  return d.toFixed(LEDGER_SCALE)
}

/** Decimal string → bigint ten-thousandths, for hot loops. Exact. */
export function toUnits(value: Decimal | string): bigint {
  const d = value instanceof Decimal ? value : ledgerDecimal(value)
  return BigInt(d.times(10_000).toFixed(0))
}

/** bigint ten-thousandths → Decimal. Exact. */
export function fromUnits(units: bigint): Decimal {
  return new Decimal(units.toString()).dividedBy(10_000)
}

export { Decimal }
