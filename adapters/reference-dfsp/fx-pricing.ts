// How the reference FXP prices a conversion: a rate per currency pair ("USD/TZS": target units for one
// source unit) and a fee in percent of what it converts, charged in the source currency. Amounts are
// decimal.js at each currency's ISO 4217 scale (currencies.ts), rounded in the FXP's favour: a fee up, a
// converted target amount down (SEND), a source amount needed for a target up (RECEIVE). As the FSPIOP
// v2.0 FxConversion says: for SEND the charges come off the target the payer gets, for RECEIVE they are
// added to the source the payer pays. Pure.
import { currencyScale } from '../../ledger/domain/currencies.ts'
import { AMOUNT_PATTERN, Decimal, formatAmount } from '../../ledger/domain/money.ts'
import type { AmountType, FxCharge, FxMoney } from './fx-terms.ts'

export const FX_CHARGE_TYPE = 'Currency conversion'

export interface FxpPricing {
  /** Target units for one source unit, by "SOURCE/TARGET", e.g. { 'USD/TZS': '2500' }. Only the pairs listed are converted. */
  rates: Readonly<Record<string, string>>
  /** The FXP's fee, in percent of the source amount converted (e.g. '0.5'); none by default. */
  feePercent?: string
}

export type Priced =
  | { ok: true; sourceAmount: string; targetAmount: string; charges: FxCharge[] }
  | { ok: false; errorCode: string; description: string }

/** Throws on a pricing no FXP could quote with (a bug in its configuration, not a DFSP's request). */
export function checkPricing(pricing: FxpPricing): void {
  for (const [pair, rate] of Object.entries(pricing.rates)) {
    const [source, target] = pair.split('/')
    if (!source || !target || currencyScale(source) === undefined || currencyScale(target) === undefined) throw new Error(`FX rate for "${pair}": not SOURCE/TARGET ISO 4217 codes`)
    if (!/^\d+(\.\d+)?$/.test(rate) || new Decimal(rate).isZero()) throw new Error(`FX rate for ${pair}: "${rate}" is not a positive decimal`)
  }
  const fee = pricing.feePercent ?? '0'
  if (!/^\d+(\.\d+)?$/.test(fee) || new Decimal(fee).gte(100)) throw new Error(`FX fee "${fee}" is not a percentage below 100`)
}

/** The amounts and charges of a conversion: the source given (SEND) or the target given (RECEIVE), the other computed. */
export function priceConversion(pricing: FxpPricing, amountType: AmountType, source: FxMoney, target: FxMoney): Priced {
  const rateText = pricing.rates[`${source.currency}/${target.currency}`]
  const sourceScale = currencyScale(source.currency)
  const targetScale = currencyScale(target.currency)
  if (rateText === undefined || sourceScale === undefined || targetScale === undefined) {
    return refused('5106', `this FXP does not convert ${source.currency} to ${target.currency}`)
  }
  const rate = new Decimal(rateText)
  const feeShare = new Decimal(pricing.feePercent ?? '0').dividedBy(100)
  const given = amountType === 'SEND' ? source : target
  const givenScale = amountType === 'SEND' ? sourceScale : targetScale
  if (given.amount === undefined) return refused('3102', `amountType ${amountType} needs the ${amountType === 'SEND' ? 'source' : 'target'} amount`)
  if (!AMOUNT_PATTERN.test(given.amount) || new Decimal(given.amount).isZero()) return refused('3100', `amount ${given.amount} is not a positive FSPIOP amount`)
  const amount = new Decimal(given.amount)
  if (amount.decimalPlaces() > givenScale) return refused('3100', `amount ${given.amount} has more decimals than ${given.currency} allows (${givenScale})`)
  let sourceAmount: Decimal
  let fee: Decimal
  let targetAmount: Decimal
  if (amountType === 'SEND') {
    sourceAmount = amount
    fee = sourceAmount.times(feeShare).toDecimalPlaces(sourceScale, Decimal.ROUND_UP)
    targetAmount = sourceAmount.minus(fee).times(rate).toDecimalPlaces(targetScale, Decimal.ROUND_DOWN)
  } else {
    targetAmount = amount
    const converted = targetAmount.dividedBy(rate).toDecimalPlaces(sourceScale, Decimal.ROUND_UP)
    fee = converted.times(feeShare).toDecimalPlaces(sourceScale, Decimal.ROUND_UP)
    sourceAmount = converted.plus(fee)
  }
  if (targetAmount.lte(0)) return refused('5101', `${formatAmount(sourceAmount)} ${source.currency} is too little to convert after the fee`)
  const charges: FxCharge[] = fee.isZero() ? [] : [{
    chargeType: FX_CHARGE_TYPE,
    sourceAmount: { currency: source.currency, amount: formatAmount(fee) },
    targetAmount: { currency: target.currency, amount: formatAmount(fee.times(rate).toDecimalPlaces(targetScale, Decimal.ROUND_DOWN)) },
  }]
  return { ok: true, sourceAmount: formatAmount(sourceAmount), targetAmount: formatAmount(targetAmount), charges }
}

function refused(errorCode: string, description: string): Priced {
  return { ok: false, errorCode, description }
}
