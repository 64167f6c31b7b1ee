// Limits and positions come from Mojaloop tooling as JSON numbers or strings; turn either into a Decimal
// without passing through float arithmetic (a JSON number's shortest text form is what the client wrote).
import { Decimal } from '../../ledger/domain/money.ts'
import { FspiopError } from '../fspiop/errors.ts'

const DECIMAL_TEXT = /^-?\d{1,34}(\.\d{1,4})?$/

export function decimalInput(value: number | string, field: string, opts: { min?: number } = {}): Decimal {
  const text = typeof value === 'number' ? String(value) : value
  if (!DECIMAL_TEXT.test(text)) throw new FspiopError('3100', `${field} ${text} is not a decimal with at most 4 decimals`)
  const d = new Decimal(text)
  if (opts.min !== undefined && d.lessThan(opts.min)) throw new FspiopError('3100', `${field} must be at least ${opts.min}`)
  return d
}
