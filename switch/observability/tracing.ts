// OpenTelemetry tracing: off unless AGORA_TRACING=true; then sampled at AGORA_TRACING_SAMPLE_RATIO
// (1% by default, parent-based so a trace is kept or dropped whole) and exported over OTLP/HTTP to
// OTEL_EXPORTER_OTLP_ENDPOINT. Spans cover HTTP in (http, fastify's request and handler), Kafka publish
// (the bus's own span per message of a sampled trace, traceparent in its headers: each message its own
// request's, bus/trace-context.ts), MySQL (mysql2) and callbacks out (undici).
// Work for the unsampled requests is kept near nothing (docs/performance.md, "Tracing"): a trace starts only
// at a request coming in (request-root-sampler.ts: no one-span traces of SQL, callbacks or Kafka messages
// outside a request), SQL is instrumented only inside a recording span, callbacks only inside a trace,
// fastify's hooks not at all, require() resolutions remembered (resolve-cache.ts), and Kafka messages of unsampled traces carry and cost nothing (no kafkajs
// instrumentation: its root span per consumed batch and message and its context per message were the
// largest part of that work).
// It must start before those libraries load: `--import ./switch/observability/tracing-preload.ts`.
import { register } from 'node:module'
import { NodeSDK } from '@opentelemetry/sdk-node'
import { BatchSpanProcessor, ParentBasedSampler, type SpanExporter } from '@opentelemetry/sdk-trace'
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http'
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http'
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici'
import { MySQL2Instrumentation } from '@opentelemetry/instrumentation-mysql2'
import { FastifyOtelInstrumentation } from '@fastify/otel'
import type { Config } from '../config/config.ts'
import { RedactingSpanProcessor } from './span-redaction.ts'
import { context, trace } from '@opentelemetry/api'
import { RequestRootSampler } from './request-root-sampler.ts'
import { rememberRequireResolutions } from './resolve-cache.ts'

export interface Tracing {
  /** Exports every finished span now. */
  flush(): Promise<void>
  shutdown(): Promise<void>
}

const EXPORT_BATCH_SIZE_MAX = 512
const EXPORT_QUEUE_SIZE_MAX = 4_096
/** Characters of a SQL statement kept on its span. */
const SQL_TEXT_MAX = 300

type QueryPatch = (original: (...args: unknown[]) => unknown) => (...args: unknown[]) => unknown
/**
 * The mysql2 instrumentation works on every statement (attributes, the statement's text, a wrapped
 * callback) before the sampler sees it, and has no option to require a parent. Its query patch (mysql2's
 * `query` and `execute`, instrumentation-mysql2's `_patchQuery`, pinned in package-lock.json) is put behind
 * a check: a statement outside a recording span goes straight to mysql2.
 */
function sqlOnlyInRecordingSpans(instrumentation: MySQL2Instrumentation): MySQL2Instrumentation {
  const patchable = instrumentation as unknown as { _patchQuery(format: unknown, isPrepared: boolean): QueryPatch }
  if (typeof patchable._patchQuery !== 'function') return instrumentation
  const patchQuery = patchable._patchQuery.bind(instrumentation)
  patchable._patchQuery = (format, isPrepared) => (original) => {
    const traced = patchQuery(format, isPrepared)(original)
    return function query(this: unknown, ...args: unknown[]) {
      return trace.getSpan(context.active())?.isRecording() ? traced.apply(this, args) : original.apply(this, args)
    }
  }
  return instrumentation
}

export function startTracing(config: Config['tracing'], exporter?: SpanExporter): Tracing {
  if (!config.enabled) return { flush: async () => {}, shutdown: async () => {} }
  // ESM imports of the instrumented (CommonJS) libraries go through this hook.
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url)
  const spanExporter = exporter ?? new OTLPTraceExporter(config.otlpEndpoint ? { url: `${config.otlpEndpoint.replace(/\/$/, '')}/v1/traces` } : {})
  const processor = new BatchSpanProcessor({ exporter: spanExporter, maxExportBatchSize: EXPORT_BATCH_SIZE_MAX, maxQueueSize: EXPORT_QUEUE_SIZE_MAX })
  const sdk = new NodeSDK({
    serviceName: 'agora-switch',
    sampler: new ParentBasedSampler({ root: new RequestRootSampler(config.sampleRatio) }),
    // Party identifiers, credentials and SQL values are scrubbed before the exporter sees a span.
    spanProcessors: [new RedactingSpanProcessor(), processor],
    // Traces only: metrics are Prometheus' (GET /metrics). Without these the SDK also starts, from the
    // environment's defaults, an OTLP metrics and logs pipeline that records every HTTP request again.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      // The switch's requests out are undici's (callbacks); node:http's are the exporter's own.
      new HttpInstrumentation({ disableOutgoingRequestInstrumentation: true }),
      new UndiciInstrumentation({ requireParentforSpans: true }),
      // The statement without its values, cut short: values (amounts, parties, ILP packets) do not belong
      // in traces, and formatting every query with them (a batch's multi-row insert is tens of kilobytes)
      // is work done for spans that are never kept.
      sqlOnlyInRecordingSpans(new MySQL2Instrumentation({ maskStatement: true, maskStatementHook: (sql) => (sql.length > SQL_TEXT_MAX ? `${sql.slice(0, SQL_TEXT_MAX)}…` : sql) })),
      // The route names the HTTP span and the handler gets a span; a span per hook adds nothing worth its work.
      new FastifyOtelInstrumentation({ registerOnInitialization: true, instrumentHooks: false }),
    ],
  })
  sdk.start()
  rememberRequireResolutions()
  return { flush: () => processor.forceFlush(), shutdown: () => sdk.shutdown() }
}
