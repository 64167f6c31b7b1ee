// The expiration of a transfer, quote or transaction request: in the future (else the resource's
// "expired" code, as central-ledger and quoting-service refuse it) and at most the configured horizon
// ahead of the switch's clock (config.limits.expirationHorizon_s, AGORA_EXPIRATION_HORIZON_S). Mojaloop
// sets no horizon; the switch does, because an expiration in the year 2999 would keep a reservation of the
// payer's liquidity (and a timeout entry) open for ever. Beyond it: 3100, the generic validation error.
import { FspiopError, type FspiopErrorCode } from './errors.ts'

export interface ExpirationRule {
  /** The code of an expiration that has passed: 3303 transfer, 3302 quote; undefined = not checked here. */
  passedCode: Extract<FspiopErrorCode, '3301' | '3302' | '3303'> | undefined
  horizon_s: number
}

/** Throws the FspiopError for an expiration that has passed or is beyond the horizon. */
export function checkExpiration(expiration: string | undefined, rule: ExpirationRule, now_ms = Date.now()): void {
  if (expiration === undefined) return
  const at_ms = Date.parse(expiration)
  if (rule.passedCode && at_ms <= now_ms) throw new FspiopError(rule.passedCode, `expiration ${expiration} has passed`)
  if (at_ms - now_ms > rule.horizon_s * 1000) {
    throw new FspiopError('3100', `expiration ${expiration} is more than ${rule.horizon_s} s ahead of the switch's clock`)
  }
}
