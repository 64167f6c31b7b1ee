// GSMA error categories and codes ⇄ FSPIOP error codes, one exhaustive table per direction. A payment that
// fails in the scheme (the switch, the payee FSP, this connector's checks) reaches the MMP platform as the
// GSMA error for its FSPIOP code; a refusal from the MMP's own API (as payee) reaches the switch as the
// FSPIOP code for its GSMA error. Both are Records over every code, so a new code on either side does not
// compile until it has its counterpart here.
import type { FspiopErrorCode } from '../../switch/fspiop/errors.ts'
import { FspiopFailure } from '../connector-core/fspiop-failure.ts'
import { GsmaError, type GsmaErrorKey } from './gsma-errors.ts'

const GENERIC_RULE: GsmaErrorKey = 'businessRule/genericError'
const NOT_FOUND: GsmaErrorKey = 'identification/identifierError'
const INTERNAL: GsmaErrorKey = 'internal/genericError'
const UNAVAILABLE: GsmaErrorKey = 'serviceUnavailable/genericError'

/** What the MMP platform hears for an FSPIOP error, whoever raised it. The client did nothing wrong when the
 *  scheme itself failed (communication, server, signatures, third-party codes): internal or unavailable. */
export const GSMA_ERROR_OF_FSPIOP: Readonly<Record<FspiopErrorCode, GsmaErrorKey>> = {
  '1000': UNAVAILABLE, '1001': UNAVAILABLE,
  '2000': INTERNAL, '2001': INTERNAL, '2002': INTERNAL, '2003': UNAVAILABLE, '2004': UNAVAILABLE, '2005': UNAVAILABLE,
  '3000': 'validation/genericError', '3001': INTERNAL, '3002': INTERNAL, '3003': INTERNAL, '3040': INTERNAL,
  '3100': 'validation/genericError', '3101': 'validation/formatError', '3102': 'validation/mandatoryValueNotSupplied',
  '3103': 'validation/lengthError', '3104': 'validation/lengthError',
  '3105': INTERNAL, '3106': INTERNAL, '3107': INTERNAL,
  // Ids not found: the payee, its FSP, or the scheme's record of the payment.
  '3200': NOT_FOUND, '3201': NOT_FOUND, '3202': INTERNAL, '3203': NOT_FOUND, '3204': NOT_FOUND, '3205': NOT_FOUND,
  '3206': NOT_FOUND, '3207': NOT_FOUND, '3208': NOT_FOUND, '3209': NOT_FOUND, '3210': NOT_FOUND,
  // Expired: the request could not be completed in time; GSMA has no expiry code.
  '3300': GENERIC_RULE, '3301': GENERIC_RULE, '3302': 'businessRule/quoteHasExpired', '3303': GENERIC_RULE,
  '4000': GENERIC_RULE,
  // The payer FSP's liquidity at the hub is what could not be debited.
  '4001': 'businessRule/insufficientFunds',
  '4100': 'authorisation/requestDeclined', '4101': 'authorisation/requestDeclined', '4102': GENERIC_RULE,
  '4103': 'validation/currencyNotSupported',
  // The net debit cap: a cumulative value limit on the payer FSP's account.
  '4200': 'businessRule/accountMaxTotalValueExceeded',
  '4300': 'authorisation/requestingPartyAuthorisationError', '4400': 'businessRule/incorrectState',
  '5000': GENERIC_RULE, '5001': GENERIC_RULE, '5100': GENERIC_RULE, '5101': GENERIC_RULE, '5102': GENERIC_RULE,
  '5103': GENERIC_RULE, '5104': GENERIC_RULE, '5105': GENERIC_RULE, '5106': 'validation/currencyNotSupported',
  '5107': NOT_FOUND, '5200': 'businessRule/maxBalanceExceeded', '5300': 'authorisation/requestingPartyAuthorisationError',
  '5400': 'businessRule/incorrectState',
  '7000': INTERNAL, '7100': INTERNAL, '7101': INTERNAL, '7102': INTERNAL, '7103': INTERNAL, '7104': INTERNAL, '7105': INTERNAL,
  '7106': INTERNAL, '7107': INTERNAL, '7108': INTERNAL, '7109': INTERNAL, '7200': INTERNAL, '7201': INTERNAL, '7202': INTERNAL,
  '7203': INTERNAL, '7204': INTERNAL, '7205': INTERNAL, '7206': INTERNAL, '7207': INTERNAL, '7208': INTERNAL, '7209': INTERNAL,
  '7210': INTERNAL, '7211': INTERNAL, '7212': INTERNAL, '7213': INTERNAL, '7214': INTERNAL, '7300': INTERNAL,
}

/** What the switch hears when the MMP's own API, as payee, refuses: payee errors (5xxx) for its refusals,
 *  the validation family for a request it could not read, 2003 when it is unavailable. */
export const FSPIOP_ERROR_OF_GSMA: Readonly<Record<GsmaErrorKey, FspiopErrorCode>> = {
  'businessRule/genericError': '5104',
  'businessRule/dailyVolumeLimitExceeded': '5200', 'businessRule/dailyValueLimitExceeded': '5200',
  'businessRule/weeklyVolumeLimitExceeded': '5200', 'businessRule/weeklyValueLimitExceeded': '5200',
  'businessRule/monthlyVolumeLimitExceeded': '5200', 'businessRule/monthlyValueLimitExceeded': '5200',
  'businessRule/accountMaxTotalValueExceeded': '5200', 'businessRule/accountMaxTotalVolumeExceeded': '5200',
  'businessRule/lessThanTransactionMinValue': '5200', 'businessRule/greaterThanTransactionMaxValue': '5200',
  'businessRule/maxBalanceExceeded': '5200',
  'businessRule/samePartiesError': '5104',
  // The connector resolves a duplicate by asking for the first request's outcome; only an unresolved one lands here.
  'businessRule/duplicateRequest': '5105',
  'businessRule/insufficientFunds': '5104',
  'businessRule/incorrectState': '5400',
  'businessRule/underPaymentNotAllowed': '5104', 'businessRule/overPaymentNotAllowed': '5104',
  'businessRule/rateLimitError': '2005',
  'businessRule/transactionTypeError': '5104', 'businessRule/quoteHasExpired': '3302',
  'validation/invalidOffset': '3100', 'authorisation/servicingPartyAuthorisationError': '5300',
  'validation/genericError': '3100', 'validation/lengthError': '3100', 'validation/formatError': '3101',
  'validation/negativeValue': '3100', 'validation/currencyNotSupported': '5106', 'validation/mandatoryValueNotSupplied': '3102',
  'authorisation/clientAuthorisationError': '5300', 'authorisation/requestDeclined': '5104',
  'authorisation/requestingPartyAuthorisationError': '5300',
  'identification/identifierError': '3204',
  'internal/genericError': '5000',
  'serviceUnavailable/genericError': '2003',
}

/** An FSPIOP failure (its code may be a scheme's own, outside the specification's list) as a GsmaError. */
export function gsmaErrorOf(errorCode: string, errorDescription: string): GsmaError {
  const known = (GSMA_ERROR_OF_FSPIOP as Record<string, GsmaErrorKey>)[errorCode]
  const key = known ?? byFamily(errorCode)
  return new GsmaError(key, errorDescription || undefined, [{ key: 'fspiopErrorCode', value: errorCode }])
}

/** A GSMA error the MMP sent, as the FspiopFailure its payee half answers the switch with. */
export function fspiopFailureOf(error: GsmaError): FspiopFailure {
  const detail = `${error.key}${error.detail ? `: ${error.detail}` : ''}`
  return FspiopFailure.of(FSPIOP_ERROR_OF_GSMA[error.key], detail)
}

function byFamily(code: string): GsmaErrorKey {
  if (code.startsWith('32')) return NOT_FOUND
  if (code.startsWith('3')) return 'validation/genericError'
  if (code.startsWith('4') || code.startsWith('5')) return GENERIC_RULE
  return INTERNAL
}
