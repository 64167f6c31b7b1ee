import { test } from 'node:test'
import assert from 'node:assert/strict'
import { percentile, ratePerSecond, Stats } from './stats.ts'

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

test('a run that overruns its duration is credited with what it achieved, not what it offered', () => {
  // 1,500 payments offered at 100/s for 15 s, the last completing 50 s after the first request.
  const stats = new Stats(0)
  for (let i = 1; i <= 1_500; i++) stats.sent(i * 10)
  for (let i = 1; i < 1_500; i++) stats.done(i * 10 + 20)
  stats.done(50_010)
  assert.equal(stats.offered_per_s(), 100)
  assert.equal(stats.throughput_per_s(), 30) // 1,500 in 50 s, not 1,500 in the 15 s planned
  assert.equal(stats.window_s(), 50)
})

test('throughput counts from the first request, not from the start of the run (set-up time is no load)', () => {
  const stats = new Stats(0)
  for (let i = 0; i < 100; i++) stats.sent(5_000 + i * 10)
  for (let i = 0; i < 100; i++) stats.done(5_010 + i * 10)
  assert.equal(stats.throughput_per_s(), 100) // 100 in the 1 s from the first request, not 100 in 6 s
  assert.equal(stats.offered_per_s(), 101) // 100 sends 990 ms apart, first to last
})

test('a rate needs events and a window: none or one instant is 0, not a division by zero', () => {
  assert.equal(ratePerSecond(500, 1_000, 2_000), 500)
  assert.equal(ratePerSecond(0, 0, 1_000), 0)
  assert.equal(ratePerSecond(5, 1_000, 1_000), 0)
  assert.equal(new Stats(0).throughput_per_s(), 0)
  assert.equal(new Stats(0).window_s(), 0)
})
