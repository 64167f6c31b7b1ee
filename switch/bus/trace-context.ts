// W3C Trace Context on bus messages, explicit so every bus implementation carries traces the same way:
// the sender's span context goes out as `traceparent` (and `tracestate`), the receiver gets it back as an
// OpenTelemetry context to continue or link to. https://www.w3.org/TR/trace-context/
// Only sampled traces travel: with tracing at 1%, the other 99% of messages carry no trace headers and cost
// the receiver no parsing (a message without a sampled `traceparent` is received in the root context).
// A sampled message gets its own PRODUCER span (`<topic> publish`), ended when Kafka took the message; the
// receiver continues from it.
import { createTraceState, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, TraceFlags, type Context, type Span, type SpanContext } from '@opentelemetry/api'

export const TRACEPARENT_HEADER = 'traceparent'
export const TRACESTATE_HEADER = 'tracestate'
/** The instrumentation scope of the bus's own spans. */
export const BUS_TRACER_NAME = 'agora-bus'

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/
const INVALID_TRACE_ID = '0'.repeat(32)
const INVALID_SPAN_ID = '0'.repeat(16)

function sampledSpan(ctx: Context): SpanContext | undefined {
  const span = trace.getSpanContext(ctx)
  return span && (span.traceFlags & TraceFlags.SAMPLED) !== 0 && trace.isSpanContextValid(span) ? span : undefined
}

/** The headers with the context's span as `traceparent` when it is sampled; the others unchanged. */
export function withTraceHeaders(headers: Readonly<Record<string, string>> | undefined, ctx: Context): Record<string, string> | undefined {
  const span = sampledSpan(ctx)
  if (!span) return headers && { ...headers }
  const out: Record<string, string> = { ...headers, [TRACEPARENT_HEADER]: `00-${span.traceId}-${span.spanId}-01` }
  const state = span.traceState?.serialize()
  if (state) out[TRACESTATE_HEADER] = state
  else delete out[TRACESTATE_HEADER]
  return out
}

/** A PRODUCER span for a message of a sampled trace (undefined otherwise: no work for the unsampled). */
export function publishSpan(ctx: Context, topic: string): Span | undefined {
  if (!sampledSpan(ctx)) return undefined
  return trace.getTracer(BUS_TRACER_NAME).startSpan(`${topic} publish`, {
    kind: SpanKind.PRODUCER, attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': topic, 'messaging.operation.type': 'send' },
  }, ctx)
}

/** Ends the publish spans of a send once it settled. */
export function endPublishSpans(spans: readonly Span[], error?: unknown): void {
  for (const span of spans) {
    if (error) span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message })
    span.end()
  }
}

/** Whether the last hex digit of a `traceparent` (its flags) has the sampled bit, without parsing it. */
function flagsSampled(traceparent: string): boolean {
  const c = traceparent.charCodeAt(traceparent.length - 1)
  const digit = c <= 57 ? c - 48 : (c | 32) - 87
  return (digit & 1) === 1
}

/** The sender's trace as a remote span context; the root context without a valid, sampled `traceparent`. */
export function traceFromHeaders(headers: Readonly<Record<string, string>>): Context {
  const header = headers[TRACEPARENT_HEADER]
  if (header === undefined || !flagsSampled(header.trimEnd())) return ROOT_CONTEXT
  const match = TRACEPARENT.exec(header.trim())
  if (!match || match[1] === INVALID_TRACE_ID || match[2] === INVALID_SPAN_ID) return ROOT_CONTEXT
  const state = headers[TRACESTATE_HEADER]
  const span: SpanContext = {
    traceId: match[1]!, spanId: match[2]!, traceFlags: Number.parseInt(match[3]!, 16) & TraceFlags.SAMPLED, isRemote: true,
    ...(state ? { traceState: createTraceState(state) } : {}),
  }
  return trace.setSpanContext(ROOT_CONTEXT, span)
}
