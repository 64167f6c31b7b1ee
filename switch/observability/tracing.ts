// OpenTelemetry tracing: off unless AGORA_TRACING=true; then sampled at AGORA_TRACING_SAMPLE_RATIO
// (1% by default, parent-based so a trace is kept or dropped whole) and exported over OTLP/HTTP to
// OTEL_EXPORTER_OTLP_ENDPOINT. Spans cover HTTP in (fastify, http), Kafka produce/consume (kafkajs, with
// traceparent in message headers), MySQL (mysql2) and callbacks out (undici).
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
import type { Config } from '../config.ts'

export interface Tracing {
  /** Exports every finished span now. */
  flush(): Promise<void>
  shutdown(): Promise<void>
}

const EXPORT_BATCH_SIZE_MAX = 512
const EXPORT_QUEUE_SIZE_MAX = 4_096

export function startTracing(config: Config['tracing'], exporter?: SpanExporter): Tracing {
  if (!config.enabled) return { flush: async () => {}, shutdown: async () => {} }
  // ESM imports of the instrumented (CommonJS) libraries go through this hook.
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url)
  const spanExporter = exporter ?? new OTLPTraceExporter(config.otlpEndpoint ? { url: `${config.otlpEndpoint.replace(/\/$/, '')}/v1/traces` } : {})
  const processor = new BatchSpanProcessor({ exporter: spanExporter, maxExportBatchSize: EXPORT_BATCH_SIZE_MAX, maxQueueSize: EXPORT_QUEUE_SIZE_MAX })
  const sdk = new NodeSDK({
    serviceName: 'agora-switch',
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.sampleRatio) }),
    spanProcessors: [processor],
    // Traces only: metrics are Prometheus' (GET /metrics). Without these the SDK also starts, from the
    // environment's defaults, an OTLP metrics and logs pipeline that records every HTTP request again.
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation(),
      new UndiciInstrumentation(),
      new KafkaJsInstrumentation(),
      new MySQL2Instrumentation(),
      new FastifyOtelInstrumentation({ registerOnInitialization: true }),
    ],
  })
  sdk.start()
  return { flush: () => processor.forceFlush(), shutdown: () => sdk.shutdown() }
}
