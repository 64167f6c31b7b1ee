// The request headers the connector checks (API Fundamentals, "HTTP Header Information"): X-CorrelationID
// (a UUID; on POST it is mandatory here, since it is what makes a repeat one payment), X-Callback-URL (the
// connector implements the callback method, so an asynchronous request without one is refused) and X-Date
// (optional; the v1.2 OpenAPI types it `format: date-time`, older clients send an RFC 7231 HTTP-date: either).
import { GsmaError } from './gsma-errors.ts'

export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const HTTP_DATE = /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/
/** RFC 3339 date-time, the OpenAPI `format: date-time`. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i
export const CALLBACK_URL_CHARS_MAX = 2048

export type Headers = Record<string, string | string[] | undefined>

function single(headers: Headers, name: string): string | undefined {
  const value = headers[name.toLowerCase()]
  return Array.isArray(value) ? value[0] : value
}

function missing(name: string): GsmaError {
  return new GsmaError('validation/mandatoryValueNotSupplied', `the ${name} header is required`, [{ key: 'header', value: name }])
}

export function correlationIdOf(headers: Headers): string {
  const value = single(headers, 'X-CorrelationID')
  if (!value) throw missing('X-CorrelationID')
  if (!UUID_PATTERN.test(value)) throw new GsmaError('validation/formatError', 'X-CorrelationID must be a UUID', [{ key: 'X-CorrelationID', value }])
  return value.toLowerCase()
}

export function callbackUrlOf(headers: Headers): string {
  const value = single(headers, 'X-Callback-URL')
  if (!value) throw missing('X-Callback-URL')
  let url: URL | undefined
  try { url = new URL(value) } catch { url = undefined }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || value.length > CALLBACK_URL_CHARS_MAX) {
    throw new GsmaError('validation/formatError', 'X-Callback-URL must be an absolute http(s) URL', [{ key: 'X-Callback-URL', value: value.slice(0, 256) }])
  }
  return value
}

export function checkXDate(headers: Headers): void {
  const value = single(headers, 'X-Date')
  if (value === undefined) return
  if (!(HTTP_DATE.test(value) || DATE_TIME.test(value)) || Number.isNaN(Date.parse(value))) {
    throw new GsmaError('validation/formatError', 'X-Date must be a date-time (RFC 3339, e.g. 2026-12-02T10:00:00Z) or an HTTP-date (RFC 7231, e.g. Tue, 15 Nov 1994 08:12:31 GMT)', [{ key: 'X-Date', value }])
  }
}

/** The value for the X-Date response header. */
export function httpDate(now: Date = new Date()): string {
  return now.toUTCString()
}
