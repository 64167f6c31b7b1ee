// W3C Trace Context on bus messages, explicit so every bus implementation carries traces the same way:
// the sender's span context goes out as `traceparent` (and `tracestate`), the receiver gets it back as an
// OpenTelemetry context to continue or link to. https://www.w3.org/TR/trace-context/
import { keepOwnTrace } from '../observability/own-trace.ts'
import { createTraceState, ROOT_CONTEXT, trace, TraceFlags, type Context, type SpanContext } from '@opentelemetry/api'

export const TRACEPARENT_HEADER = 'traceparent'
export const TRACESTATE_HEADER = 'tracestate'

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/
const INVALID_TRACE_ID = '0'.repeat(32)
const INVALID_SPAN_ID = '0'.repeat(16)

/** The headers with the context's span (when it has a valid one) as `traceparent`; the others unchanged. */
export function withTraceHeaders(headers: Readonly<Record<string, string>> | undefined, ctx: Context): Record<string, string> | undefined {
  const span = trace.getSpanContext(ctx)
  if (!span || !trace.isSpanContextValid(span)) return headers && { ...headers }
  const flags = (span.traceFlags & TraceFlags.SAMPLED).toString(16).padStart(2, '0')
  const out: Record<string, string> = { ...headers, [TRACEPARENT_HEADER]: `00-${span.traceId}-${span.spanId}-${flags}` }
  const state = span.traceState?.serialize()
  if (state) out[TRACESTATE_HEADER] = state
  else delete out[TRACESTATE_HEADER]
  // Kept for the Kafka instrumentation's hook, which puts it back over its batch-wide producer context.
  keepOwnTrace(out, { [TRACEPARENT_HEADER]: out[TRACEPARENT_HEADER]!, ...(state ? { [TRACESTATE_HEADER]: state } : {}) })
  return out
}

/** The sender's trace as a remote span context; the root context without a valid `traceparent`. */
export function traceFromHeaders(headers: Readonly<Record<string, string>>): Context {
  const match = TRACEPARENT.exec(headers[TRACEPARENT_HEADER]?.trim() ?? '')
  if (!match || match[1] === INVALID_TRACE_ID || match[2] === INVALID_SPAN_ID) return ROOT_CONTEXT
  const state = headers[TRACESTATE_HEADER]
  const span: SpanContext = {
    traceId: match[1]!, spanId: match[2]!, traceFlags: Number.parseInt(match[3]!, 16) & TraceFlags.SAMPLED, isRemote: true,
    ...(state ? { traceState: createTraceState(state) } : {}),
  }
  return trace.setSpanContext(ROOT_CONTEXT, span)
}
