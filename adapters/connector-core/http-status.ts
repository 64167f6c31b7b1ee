// What the core hears when a payment fails: every FSPIOP error code, whoever raised it (the switch, the
// payee FSP, this connector), mapped to one HTTP status of the synchronous API. A Record over every code
// in switch/fspiop/errors.ts, so a new code does not compile until it has a status here.
import type { FspiopErrorCode } from '../../switch/fspiop/errors.ts'

/** 400 the request is wrong; 403 not allowed; 404 nobody to pay; 422 refused (payer or payee side);
 *  502 the scheme failed; 503 unavailable or busy; 504 timed out or expired. */
export const HTTP_STATUS_OF_FSPIOP_ERROR: Readonly<Record<FspiopErrorCode, number>> = {
  '1000': 502, '1001': 502,
  '2000': 502, '2001': 502, '2002': 501, '2003': 503, '2004': 504, '2005': 503,
  '3000': 400, '3001': 502, '3002': 502, '3003': 502, '3040': 502,
  '3100': 400, '3101': 400, '3102': 400, '3103': 400, '3104': 413,
  // A signature the switch or the payee refused is this connector's (or the scheme's) fault, not the core's.
  '3105': 502, '3106': 502, '3107': 400,
  '3200': 404, '3201': 404, '3202': 404, '3203': 404, '3204': 404, '3205': 404, '3206': 404, '3207': 404, '3208': 404, '3209': 404, '3210': 404,
  '3300': 504, '3301': 504, '3302': 504, '3303': 504,
  '4000': 422, '4001': 422, '4100': 422, '4101': 422, '4102': 422, '4103': 422, '4200': 422, '4300': 403, '4400': 403,
  '5000': 422, '5001': 422, '5100': 422, '5101': 422, '5102': 422, '5103': 422, '5104': 422, '5105': 422, '5106': 422, '5107': 422,
  '5200': 422, '5300': 422, '5400': 422,
  // The third-party (PISP) API is not spoken here: such a code is the scheme misbehaving.
  '7000': 502, '7100': 502, '7101': 502, '7102': 502, '7103': 502, '7104': 502, '7105': 502, '7106': 502, '7107': 502, '7108': 502, '7109': 502,
  '7200': 502, '7201': 502, '7202': 502, '7203': 502, '7204': 502, '7205': 502, '7206': 502, '7207': 502, '7208': 502, '7209': 502,
  '7210': 502, '7211': 502, '7212': 502, '7213': 502, '7214': 502, '7300': 502,
}

/** A code outside the specification's list (a scheme's own) maps by its category, the first digit pair. */
export function httpStatusOfFspiopError(code: string): number {
  const known = (HTTP_STATUS_OF_FSPIOP_ERROR as Record<string, number>)[code]
  if (known !== undefined) return known
  if (code.startsWith('32')) return 404
  if (code.startsWith('33')) return 504
  if (code.startsWith('3')) return 400
  if (code.startsWith('4') || code.startsWith('5')) return 422
  return 502
}
