// OpenTelemetry tracing: off unless AGORA_TRACING=true; then sampled at AGORA_TRACING_SAMPLE_RATIO
// (1% by default) and exported over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set. Traces follow a
// request from HTTP through Kafka (traceparent in message headers) to the database.
import { NodeSDK } from '@opentelemetry/sdk-node'
import { ParentBasedSampler, TraceIdRatioBasedSampler, InMemorySpanExporter, type SpanExporter } from '@opentelemetry/sdk-trace-base'
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http'
import type { Config } from '../config.ts'

export interface Tracing {
  shutdown(): Promise<void>
}

export function startTracing(config: Config['tracing'], exporter?: SpanExporter): Tracing {
  if (!config.enabled) return { shutdown: async () => {} }
  const sdk = new NodeSDK({
    serviceName: 'agora-switch',
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.sampleRatio) }),
    traceExporter: exporter ?? (config.otlpEndpoint ? new OTLPTraceExporter() : new InMemorySpanExporter()),
  })
  sdk.start()
  return { shutdown: () => sdk.shutdown() }
}
