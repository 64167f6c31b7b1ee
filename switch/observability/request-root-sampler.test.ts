import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ROOT_CONTEXT, SpanKind, trace, TraceFlags } from '@opentelemetry/api'
import { ParentBasedSampler, SamplingDecision } from '@opentelemetry/sdk-trace'
import { RequestRootSampler } from './request-root-sampler.ts'

const TRACE_ID = '0af7651916cd43dd8448eb211c80319c'

test('a trace starts at a request coming in or an internal span, never at a SQL statement, callback or Kafka message without a parent', () => {
  const always = new RequestRootSampler(1)
  const decision = (kind: SpanKind) => always.shouldSample(ROOT_CONTEXT, TRACE_ID, 'x', kind, {}, []).decision
  assert.equal(decision(SpanKind.SERVER), SamplingDecision.RECORD_AND_SAMPLED)
  assert.equal(decision(SpanKind.INTERNAL), SamplingDecision.RECORD_AND_SAMPLED)
  assert.equal(decision(SpanKind.CLIENT), SamplingDecision.NOT_RECORD)
  assert.equal(decision(SpanKind.PRODUCER), SamplingDecision.NOT_RECORD)
  assert.equal(decision(SpanKind.CONSUMER), SamplingDecision.NOT_RECORD)
  assert.equal(new RequestRootSampler(0).shouldSample(ROOT_CONTEXT, TRACE_ID, 'x', SpanKind.SERVER, {}, []).decision, SamplingDecision.NOT_RECORD, 'roots are sampled at the ratio')
})

test('inside a trace the parent decides: a sampled request\'s SQL is recorded, an unsampled one\'s is not', () => {
  const sampler = new ParentBasedSampler({ root: new RequestRootSampler(1) })
  const parent = (flags: TraceFlags) => trace.setSpanContext(ROOT_CONTEXT, { traceId: TRACE_ID, spanId: 'b7ad6b7169203331', traceFlags: flags })
  assert.equal(sampler.shouldSample(parent(TraceFlags.SAMPLED), TRACE_ID, 'SELECT', SpanKind.CLIENT, {}, []).decision, SamplingDecision.RECORD_AND_SAMPLED)
  assert.equal(sampler.shouldSample(parent(TraceFlags.NONE), TRACE_ID, 'SELECT', SpanKind.CLIENT, {}, []).decision, SamplingDecision.NOT_RECORD)
})
