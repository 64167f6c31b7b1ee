import { test } from 'node:test'
import assert from 'node:assert/strict'
import { percentile, Stats } from './stats.ts'

test('percentiles are the nearest-rank values', () => {
  const values = Array.from({ length: 100 }, (_, i) => i + 1)
  assert.equal(percentile(values, 50), 50)
  assert.equal(percentile(values, 99), 99)
  assert.equal(percentile([7], 99), 7)
  assert.equal(percentile([], 99), 0)
})

test('completions are counted per second of the run, errors by code', () => {
  const stats = new Stats(1000)
  stats.done(1500)
  stats.done(1900)
  stats.done(3100)
  stats.error('4001')
  stats.error('4001')
  assert.deepEqual(stats.perSecond, [2, 0, 1])
  assert.equal(stats.errorCount, 2)
  stats.latency('transfer', 5)
  stats.latency('transfer', 15)
  assert.equal(stats.summary('transfer').p99_ms, 15)
})

test('the live window holds only the latencies since the last look, per phase', () => {
  const stats = new Stats(0)
  stats.latency('transfer', 100)
  stats.latency('quote', 7)
  const first = stats.takeWindow()
  assert.equal(first.get('transfer')!.p99_ms, 100)
  assert.equal(first.get('quote')!.count, 1)
  stats.latency('transfer', 3)
  const second = stats.takeWindow()
  assert.deepEqual([...second.keys()], ['transfer'])
  assert.equal(second.get('transfer')!.max_ms, 3)
  assert.equal(stats.summary('transfer').count, 2, 'the whole run is kept for the result')
})

test('throughput is completions over the time from the start to the last completion, drain included', () => {
  const stats = new Stats(1_000)
  stats.done(1_500)
  stats.done(3_000)
  stats.done(5_000) // completed after a 2 s phase, while draining
  assert.equal(stats.throughput_per_s(), 1) // 3 in 4 s, not 3 in the 2 s the payments were sent for
})
