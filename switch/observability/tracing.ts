// OpenTelemetry tracing: off unless AGORA_TRACING=true; then sampled at AGORA_TRACING_SAMPLE_RATIO
// (1% by default, parent-based so a trace is kept or dropped whole) and exported over OTLP/HTTP to
// OTEL_EXPORTER_OTLP_ENDPOINT. Spans cover HTTP in (fastify, http), Kafka produce/consume (kafkajs, with
// traceparent in message headers: each message its own request's, bus/trace-context.ts), MySQL (mysql2) and callbacks out (undici).
// It must start before those libraries load: `--import ./switch/observability/tracing-preload.ts`.
import { register } from 'node:module'
import { NodeSDK } from '@opentelemetry/sdk-node'
import { BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler, type SpanExporter } from '@opentelemetry/sdk-trace'
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http'
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http'
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici'
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs'
import { MySQL2Instrumentation } from '@opentelemetry/instrumentation-mysql2'
import { FastifyOtelInstrumentation } from '@fastify/otel'
import type { Config } from '../config/config.ts'
import { RedactingSpanProcessor } from './span-redaction.ts'
import { restoreOwnTrace } from './own-trace.ts'

export interface Tracing {
  /** Exports every finished span now. */
  flush(): Promise<void>
  shutdown(): Promise<void>
}

const EXPORT_BATCH_SIZE_MAX = 512
const EXPORT_QUEUE_SIZE_MAX = 4_096
/** Characters of a SQL statement kept on its span. */
const SQL_TEXT_MAX = 300

export function startTracing(config: Config['tracing'], exporter?: SpanExporter): Tracing {
  if (!config.enabled) return { flush: async () => {}, shutdown: async () => {} }
  // ESM imports of the instrumented (CommonJS) libraries go through this hook.
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url)
  const spanExporter = exporter ?? new OTLPTraceExporter(config.otlpEndpoint ? { url: `${config.otlpEndpoint.replace(/\/$/, '')}/v1/traces` } : {})
  const processor = new BatchSpanProcessor({ exporter: spanExporter, maxExportBatchSize: EXPORT_BATCH_SIZE_MAX, maxQueueSize: EXPORT_QUEUE_SIZE_MAX })
  const sdk = new NodeSDK({
    serviceName: 'agora-switch',
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.sampleRatio) }),
    // Party identifiers, credentials and SQL values are scrubbed before the exporter sees a span.
    spanProcessors: [new RedactingSpanProcessor(), processor],
    // Traces only: metrics are Prometheus' (GET /metrics). Without these the SDK also starts, from the
    // environment's defaults, an OTLP metrics and logs pipeline that records every HTTP request again.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation(),
      new UndiciInstrumentation(),
      // Each message keeps the trace the bus port gave it (its own request's), not the batch's send span's.
      new KafkaJsInstrumentation({ producerHook: (_span, { message }) => restoreOwnTrace(message.headers) }),
      // The statement without its values, cut short: values (amounts, parties, ILP packets) do not belong
      // in traces, and formatting every query with them (a batch's multi-row insert is tens of kilobytes)
      // is work done for the 99% of spans that are never kept.
      new MySQL2Instrumentation({ maskStatement: true, maskStatementHook: (sql) => (sql.length > SQL_TEXT_MAX ? `${sql.slice(0, SQL_TEXT_MAX)}…` : sql) }),
      new FastifyOtelInstrumentation({ registerOnInitialization: true }),
    ],
  })
  sdk.start()
  return { flush: () => processor.forceFlush(), shutdown: () => sdk.shutdown() }
}
