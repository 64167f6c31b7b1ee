// A bus message's own trace headers, kept on its headers object under a symbol (a symbol key is no header:
// nothing extra is sent). The Kafka client instrumentation (tracing.ts) injects its producer span's context
// into every message of a batch, and that span's parent is whatever context the batch went out in; a batch
// mixes many requests' messages, so the instrumentation's hook puts each message's own trace back.
const OWN_TRACE = Symbol('agora.own-trace')
type WithOwnTrace = { [OWN_TRACE]?: Readonly<Record<string, string>> }

export function keepOwnTrace(headers: object, own: Readonly<Record<string, string>>): void {
  Object.defineProperty(headers, OWN_TRACE, { value: own, enumerable: false })
}

export function restoreOwnTrace(headers: object | undefined): void {
  const own = (headers as WithOwnTrace | undefined)?.[OWN_TRACE]
  if (own) Object.assign(headers as Record<string, unknown>, own)
}
