// One message the switch sends a participant: a callback or a forwarded request, as the pipeline carries
// it from the outbox to the sender (callbacks.ts).
import type { FspiopVersion } from './headers.ts'

export interface Callback {
  to: string
  endpointType: string
  method: 'POST' | 'PUT' | 'PATCH' | 'GET'
  /** The FSPIOP path, e.g. /transfers/{id}/error (FSPIOP-URI of hub-originated callbacks). */
  path: string
  params: Record<string, string>
  resource: string
  version: FspiopVersion
  /** Accept of a forwarded POST or GET: the version the original sender asked for (default `version`). */
  acceptVersion?: FspiopVersion
  source: string
  destination: string
  hubOriginated: boolean
  body: unknown
  /** Headers passed through unchanged from the original request (e.g. FSPIOP-Signature). */
  passHeaders?: Record<string, string>
  /** Appended to the filled endpoint URL (e.g. "/{SubId}" of a party). */
  suffix?: string
  /** When the hub made this message (epoch ms): its Date header, also on every retry. FSPIOP's Date is the
   *  message's origination, and a DFSP reads "not found" (3208) by when the switch looked, not when the
   *  answer arrived. Unset: the time of sending. */
  originatedAt_ms?: number
}
