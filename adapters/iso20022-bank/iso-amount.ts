// Amounts between ISO 20022 and FSPIOP, exact decimal strings both ways. An ISO amount may carry
// trailing zeros ("100.50") but never more decimals than its currency has ("1.001 USD" is refused, as is
// "100.500"); FSPIOP's form has no trailing zeros ("100.5"). Written back, an amount has exactly the
// currency's decimals.
import { checkAmount, Decimal } from '../../ledger/domain/money.ts'
import { currencyScale } from '../../ledger/domain/currencies.ts'
import type { IsoReason } from './reason-codes.ts'

const ISO_DECIMAL = /^(\d{1,18})(?:\.(\d{1,5}))?$/

export type AmountRead = { ok: true; amount: string } | { ok: false; reason: IsoReason; message: string }

export function fspiopAmountOf(isoAmount: string, currency: string): AmountRead {
  const scale = currencyScale(currency)
  if (scale === undefined) return { ok: false, reason: 'AM03', message: `currency ${currency} is not an ISO 4217 code` }
  const match = ISO_DECIMAL.exec(isoAmount)
  if (!match) return { ok: false, reason: 'AM12', message: `amount ${isoAmount} is not a decimal` }
  if ((match[2] ?? '').length > scale) return { ok: false, reason: 'AM12', message: `amount ${isoAmount} has more decimals than ${currency} allows (${scale})` }
  const amount = new Decimal(isoAmount).toFixed()
  const check = checkAmount(amount, currency)
  if (!check.ok) return { ok: false, reason: 'AM12', message: check.message }
  return { ok: true, amount }
}

/** An FSPIOP amount as ISO writes it: the currency's number of decimals. */
export function isoAmountOf(fspiopAmount: string, currency: string): string {
  const scale = currencyScale(currency)
  if (scale === undefined) throw new Error(`iso amount: ${currency} is not an ISO 4217 code`)
  const value = new Decimal(fspiopAmount)
  if (value.decimalPlaces() > scale) throw new Error(`iso amount: ${fspiopAmount} has more decimals than ${currency}`)
  return value.toFixed(scale)
}
