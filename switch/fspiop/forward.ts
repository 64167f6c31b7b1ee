// Passing a DFSP's request or callback on to another DFSP through the notification topic (so it gets
// the same retries and dead letters as every callback), with the original source, destination,
// version and signature.
import { FspiopError } from './errors.ts'
import type { FspiopHeaders } from './headers.ts'
import type { ParticipantDirectory } from './directory.ts'
import type { BusProducer } from '../bus/message-bus.ts'
import { requestDeadline } from '../bus/publish-queue.ts'
import { TOPICS, type Notification } from '../pipeline/messages.ts'

export interface ForwardDeps {
  hubName: string
  directory: ParticipantDirectory
  producer: BusProducer
  topic: (name: string) => string
}

export type Forward = Omit<Notification, 'source' | 'version' | 'acceptVersion' | 'hubOriginated' | 'passHeaders'>

/** Sends a notification (already built) to the notification topic, for a DFSP's request (bounded: 2003 when Kafka does not take it in time). */
export async function publish(deps: ForwardDeps, notifications: readonly Notification[]): Promise<void> {
  await deps.producer.send(notifications.map((n) => ({ topic: deps.topic(TOPICS.notification), key: n.to, value: JSON.stringify(n) })), { publishBy: requestDeadline() })
}

/** Headers a forwarded message carries unchanged: the sender's signature and what it protects (its
 *  Date too, which a signature may cover), as Mojaloop passes the original headers on. */
export const PASSED_HEADERS = ['fspiop-signature', 'fspiop-uri', 'fspiop-http-method', 'fspiop-encryption', 'date'] as const

export function passedHeaders(rawHeaders: Record<string, unknown>): Record<string, string> {
  const passHeaders: Record<string, string> = {}
  for (const name of PASSED_HEADERS) {
    const value = rawHeaders[name]
    if (typeof value === 'string') passHeaders[name] = value
  }
  return passHeaders
}

/** Forwards what `headers.source` sent to `to`, keeping its headers (Content-Type and Accept as the
 *  sender sent them, and PASSED_HEADERS). */
export async function forward(deps: ForwardDeps, headers: FspiopHeaders, rawHeaders: Record<string, unknown>, n: Forward): Promise<void> {
  await publish(deps, [{ ...n, source: headers.source, version: headers.version, acceptVersion: headers.acceptVersion, hubOriginated: false, passHeaders: passedHeaders(rawHeaders) }])
}

/** The named participant, which must exist and be active, or the FSPIOP error. */
export async function requireActive(directory: ParticipantDirectory, name: string | undefined, what: string) {
  if (!name) throw new FspiopError('3102', `${what} is missing`)
  const p = await directory.get(name)
  if (!p) throw new FspiopError('3201', `${what} ${name} is not a participant of this scheme`)
  if (!p.isActive) throw new FspiopError('3201', `${what} ${name} is not active`)
  return p
}
