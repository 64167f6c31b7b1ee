// Errors that mean "not now" rather than "wrong": the producer refused a request's messages (its queue is
// full, Kafka is not connected, or did not take them in time), or the database is out of reach. A DFSP
// gets 2003 Service currently unavailable (HTTP 503) for them, at once, and may try again.
import { PublishRefused } from '../bus/publish-queue.ts'

/** mysql2 / Node socket codes of a database that cannot be reached (or went away mid-query). */
const DB_UNREACHABLE_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'PROTOCOL_CONNECTION_LOST', 'ER_CON_COUNT_ERROR',
])

/** The detail for a 2003, or undefined when the error is something else. */
export function unavailability(error: unknown): string | undefined {
  if (error instanceof PublishRefused) return error.message
  const e = error as { name?: string; code?: string; errno?: number }
  if (e?.name === 'KnexTimeoutError') return 'the database does not answer'
  if (typeof e?.code === 'string' && DB_UNREACHABLE_CODES.has(e.code)) return 'the database cannot be reached'
  return undefined
}
