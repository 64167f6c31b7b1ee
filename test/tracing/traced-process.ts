// Run as a child process by tracing.test.ts: starts tracing with an in-memory exporter BEFORE loading
// the switch's libraries (as the preload does), serves /health (HTTP → MySQL), runs a query outside any
// request, produces and consumes a Kafka message (through the message bus) inside a span, then prints the
// finished spans as JSON lines.
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace'
import { startTracing } from '../../switch/observability/tracing.ts'

const exporter = new InMemorySpanExporter()
const tracing = startTracing({ enabled: true, sampleRatio: 1, otlpEndpoint: undefined }, exporter)

const { trace, context } = await import('@opentelemetry/api')
const { createTestDb } = await import('../support/db.ts')
const { createTopics, openTestBus } = await import('../support/kafka.ts')
const { buildApiApp } = await import('../../switch/app.ts')
const { silentLogger } = await import('../../switch/observability/logger.ts')
const { createMetrics } = await import('../../switch/observability/metrics.ts')
const { createParticipantChanges } = await import('../../switch/fspiop/participant-changes.ts')
const { loadConfig } = await import('../../switch/config/config.ts')

const testDb = await createTestDb('tracing')
const bus = openTestBus('tracing', 1)
const app = await buildApiApp({
  config: loadConfig({ ...process.env, AGORA_ENV: 'development' }), db: testDb.db, log: silentLogger(), metrics: createMetrics({ defaultMetrics: false }),
  participantChanges: createParticipantChanges(),
})
await app.listen({ host: '127.0.0.1', port: 0 })
const address = app.server.address() as { port: number }
await fetch(`http://127.0.0.1:${address.port}/health`)
await testDb.db.raw('SELECT 1 AS outside_any_request')

await createTopics(bus, bus.config, ['traced'])
const topic = bus.topic('traced')
const producer = bus.producer()
await producer.connected
let consumedNow: () => void
const consumed = new Promise<void>((resolve) => (consumedNow = resolve))
const tracer = trace.getTracer('test')
// The consumer continues the sender's trace from the message (the port extracts its traceparent).
const consumer = bus.consumer({ groupId: `${topic}.g`, topics: [topic], handle: async (fetch) => {
  for (const b of fetch) for (const m of b.messages) tracer.startSpan('consume-message', {}, m.trace).end()
  consumedNow()
} })
await consumer.joined
await tracer.startActiveSpan('produce-parent', async (span) => {
  await producer.send([{ topic, key: 'k', value: 'v' }])
  span.end()
})
await consumed
await consumer.stop()
await producer.close()
await bus.close()
await app.close()
await testDb.drop()
await tracing.flush()
for (const s of exporter.getFinishedSpans()) {
  console.log(JSON.stringify({ name: s.name, traceId: s.spanContext().traceId, kind: s.kind, scope: s.instrumentationScope.name }))
}
await tracing.shutdown()
void context
