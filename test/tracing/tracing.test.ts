// With tracing on, one trace follows an HTTP request into MySQL, a Kafka message carries its trace from
// producer (the bus's publish span) to consumer, SQL outside a request starts no trace of its own, and a
// transfer keeps one trace through the production pipeline to the payer.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const script = fileURLToPath(new URL('./traced-process.ts', import.meta.url))

test('spans link HTTP to MySQL and a Kafka producer to its consumer; SQL outside a request is not traced', () => {
  const out = execFileSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 120_000 })
  const spans = out.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { name: string; traceId: string; scope: string })
  const scopes = new Set(spans.map((s) => s.scope))
  for (const scope of ['@opentelemetry/instrumentation-http', '@opentelemetry/instrumentation-mysql2', 'agora-bus']) {
    assert.ok(scopes.has(scope), `spans from ${scope}; got ${[...scopes].join(', ')}`)
  }
  const httpServer = spans.find((s) => s.scope === '@opentelemetry/instrumentation-http' && s.name.startsWith('GET'))!
  assert.ok(spans.some((s) => s.scope === '@opentelemetry/instrumentation-mysql2' && s.traceId === httpServer.traceId), 'the /health query belongs to the request trace')
  const parent = spans.find((s) => s.name === 'produce-parent')!
  const kafkaInTrace = spans.filter((s) => s.scope === 'agora-bus' && s.traceId === parent.traceId)
  assert.ok(kafkaInTrace.some((s) => s.name.endsWith(' publish')), `the Kafka publish span belongs to the sender's trace (got ${kafkaInTrace.map((s) => s.name).join(', ')})`)
  const consumed = spans.find((s) => s.name === 'consume-message')
  assert.equal(consumed?.traceId, parent.traceId, 'the consumer continues the trace the message carried (traceparent)')
  const requestTraces = new Set(spans.filter((s) => s.scope !== '@opentelemetry/instrumentation-mysql2').map((s) => s.traceId))
  const orphans = spans.filter((s) => s.scope === '@opentelemetry/instrumentation-mysql2' && !requestTraces.has(s.traceId))
  assert.deepEqual(orphans.map((s) => s.name), [], 'no SQL span outside a request\'s trace (the set-up\'s and the outside query\'s statements start none)')
})

const transferScript = fileURLToPath(new URL('./transfer-trace-process.ts', import.meta.url))

interface SpanLine { name: string; traceId: string; spanId: string; scope: string; transferId?: string }

test('one trace follows each transfer from POST /transfers through the batch consumers to the payer\'s callback, though fetches mix transfers', () => {
  const out = execFileSync(process.execPath, ['--import', 'tsx', transferScript], { encoding: 'utf8', timeout: 240_000 })
  const lines = out.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, string>)
  const callbacks = lines.filter((l) => l.callback) as { callback: string; traceparent?: string; state: string }[]
  const spans = lines.filter((l) => l.name) as unknown as SpanLine[]
  assert.equal(callbacks.length, 6)
  const traces = new Set<string>()
  for (const c of callbacks) {
    assert.equal(c.state, 'COMMITTED')
    const [, traceId, spanId] = c.traceparent?.split('-') ?? []
    const started = spans.find((s) => s.name === 'payer sends transfer' && s.transferId === c.callback)
    assert.equal(traceId, started?.traceId, `the payer's callback of ${c.callback} continues the trace its POST /transfers began`)
    traces.add(traceId!)
    const inTrace = spans.filter((s) => s.traceId === traceId)
    const has = (scope: string, name: string) => inTrace.some((s) => s.scope === scope && s.name === name)
    assert.ok(has('@opentelemetry/instrumentation-http', 'POST /transfers'), 'the switch received the prepare in the trace')
    assert.ok(has('@opentelemetry/instrumentation-undici', 'POST'), 'the prepare was forwarded to the payee in the trace')
    assert.ok(has('@opentelemetry/instrumentation-http', 'PUT /transfers/:id'), 'the switch received the fulfil in the trace')
    const callbackSpan = inTrace.find((s) => s.spanId === spanId)
    assert.deepEqual([callbackSpan?.scope, callbackSpan?.name], ['@opentelemetry/instrumentation-undici', 'PUT'], 'the callback\'s own client span is in the trace')
  }
  assert.equal(traces.size, 6, 'each transfer its own trace')
})
