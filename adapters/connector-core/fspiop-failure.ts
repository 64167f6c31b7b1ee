// A payment's failure as FSPIOP tells it: the error code and description from an error callback, a
// refused request, the payee's backend, or this connector's own checks.
import { ERRORS, isFspiopErrorCode } from '../../switch/fspiop/errors.ts'

export class FspiopFailure extends Error {
  constructor(readonly errorCode: string, readonly errorDescription: string) {
    super(`${errorCode} ${errorDescription}`)
    this.name = 'FspiopFailure'
  }

  /** With the specification's description, and a detail after it (cut to FSPIOP's 128 characters). */
  static of(code: string, detail?: string): FspiopFailure {
    const base = isFspiopErrorCode(code) ? ERRORS[code] : 'Error'
    return new FspiopFailure(code, (detail ? `${base} - ${detail}` : base).slice(0, 128))
  }

  /** From an FSPIOP error body ({errorInformation}); a body without one is a 2001 from whoever sent it. */
  static fromBody(body: any, fallbackCode = '2001'): FspiopFailure {
    const info = body?.errorInformation
    if (info && typeof info.errorCode === 'string') return new FspiopFailure(info.errorCode, String(info.errorDescription ?? ''))
    return FspiopFailure.of(fallbackCode, 'no errorInformation in the answer')
  }

  toBody(): { errorInformation: { errorCode: string; errorDescription: string } } {
    return { errorInformation: { errorCode: this.errorCode, errorDescription: this.errorDescription } }
  }
}
