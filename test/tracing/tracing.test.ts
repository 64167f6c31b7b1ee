// With tracing on, one trace follows an HTTP request into MySQL, and a Kafka message carries its trace
// from producer to consumer.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const script = fileURLToPath(new URL('./traced-process.ts', import.meta.url))

test('spans link HTTP to MySQL and a Kafka producer to its consumer', () => {
  const out = execFileSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 120_000 })
  const spans = out.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { name: string; traceId: string; scope: string })
  const scopes = new Set(spans.map((s) => s.scope))
  for (const scope of ['@opentelemetry/instrumentation-http', '@opentelemetry/instrumentation-mysql2', '@opentelemetry/instrumentation-kafkajs']) {
    assert.ok(scopes.has(scope), `spans from ${scope}; got ${[...scopes].join(', ')}`)
  }
  const httpServer = spans.find((s) => s.scope === '@opentelemetry/instrumentation-http' && s.name.startsWith('GET'))!
  assert.ok(spans.some((s) => s.scope === '@opentelemetry/instrumentation-mysql2' && s.traceId === httpServer.traceId), 'the /health query belongs to the request trace')
  const parent = spans.find((s) => s.name === 'produce-parent')!
  const kafkaInTrace = spans.filter((s) => s.scope === '@opentelemetry/instrumentation-kafkajs' && s.traceId === parent.traceId)
  assert.ok(kafkaInTrace.length >= 1, `the Kafka producer span belongs to the sender's trace (got ${kafkaInTrace.map((s) => s.name).join(', ')})`)
  const consumed = spans.find((s) => s.name === 'consume-message')
  assert.equal(consumed?.traceId, parent.traceId, 'the consumer continues the trace the message carried (traceparent)')
})
