// What a reference DFSP's calls as payer give back: the value of the callback with its timestamps, or the
// FSPIOP error the switch or the other side answered with.

/** A payer's call: when it started, when the switch accepted it (202), when its callback arrived. */
export interface Timed<T> {
  /** The id this DFSP gave the request (transfer id, quote id, …). */
  id: string
  value: T
  started_ms: number
  accepted_ms: number
  finished_ms: number
}

export class FspiopCallbackError extends Error {
  constructor(readonly errorCode: string, description: string) {
    super(`${errorCode} ${description}`)
  }
}

/** The error a PUT …/error callback carries. */
export function callbackError(body: unknown): FspiopCallbackError {
  const info = (body as { errorInformation?: { errorCode?: unknown; errorDescription?: unknown } } | undefined)?.errorInformation
  return new FspiopCallbackError(String(info?.errorCode ?? '1000'), String(info?.errorDescription ?? 'error callback without errorInformation'))
}
