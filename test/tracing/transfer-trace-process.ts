// Run as a child process by tracing.test.ts: tracing on (every span kept, in memory) before the switch's
// libraries load, then a whole switch (real MariaDB and Kafka, the production pipeline: batch consumers,
// outbox, notification handler) and two DFSPs. The payer sends a transfer inside its own span; the payee
// answers the forwarded prepare in the trace it received (W3C traceparent, as a traced DFSP does). Other
// transfers run at the same time so the consumers' fetches mix requests. Prints the finished spans and the
// transfer id and traceparent the payer's callback arrived with, as JSON lines.
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace'
import { startTracing } from '../../switch/observability/tracing.ts'

const exporter = new InMemorySpanExporter()
const tracing = startTracing({ enabled: true, sampleRatio: 1, otlpEndpoint: undefined }, exporter)

const { context, propagation, ROOT_CONTEXT, trace } = await import('@opentelemetry/api')
const { startSwitchWithDfsps } = await import('../support/dfsp-pair.ts')
const { fulfil, newTransfer, prepare } = await import('../support/fspiop-client.ts')

const pair = await startSwitchWithDfsps('tracedxfer', ['payerfsp', 'payeefsp'], { ndc: '10000', fundsIn: '10000' })
const { sw, payer, payee } = pair
const transfers = Array.from({ length: 6 }, (_, i) => newTransfer('payerfsp', 'payeefsp', String(10 + i)))
// The payee fulfils each prepare in the trace the prepare arrived with.
payee.onCallback((c) => {
  if (c.method !== 'POST' || c.path !== '/transfers') return
  const t = transfers.find((x) => x.transferId === c.body.transferId)
  if (!t) return
  const received = propagation.extract(ROOT_CONTEXT, c.headers)
  void context.with(received, () => fulfil(sw.apiUrl, t))
})
const tracer = trace.getTracer('test')
await Promise.all(transfers.map((t) => tracer.startActiveSpan('payer sends transfer', async (span) => {
  await prepare(sw.apiUrl, t)
  span.setAttribute('transfer.id', t.transferId)
  span.end()
})))
const callbacks = await Promise.all(transfers.map((t) => payer.waitFor((c) => c.method === 'PUT' && c.path === `/transfers/${t.transferId}`)))
await pair.stop()
await tracing.flush()
for (const c of callbacks) console.log(JSON.stringify({ callback: c.path.split('/')[2], traceparent: c.headers.traceparent, state: c.body.transferState }))
for (const s of exporter.getFinishedSpans()) {
  console.log(JSON.stringify({
    name: s.name, traceId: s.spanContext().traceId, spanId: s.spanContext().spanId, parent: s.parentSpanContext?.spanId, kind: s.kind,
    scope: s.instrumentationScope.name, transferId: s.attributes['transfer.id'],
  }))
}
await tracing.shutdown()
