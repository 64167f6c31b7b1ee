import { test } from 'node:test'
import assert from 'node:assert/strict'
import { cpuPerPayment, cpuSeconds, deployableCpu, rssGrowth, rssMb } from './process-stats.ts'
import { benchSettings } from './settings.ts'

test('memory growth compares the end of a soak with its warmed-up start', () => {
  const flat = [100, 200, 300, 300, 302, 301, 299, 300, 301, 300]
  assert.deepEqual(rssGrowth(flat), { warm_mb: 300, end_mb: 301, growth_mb: 1 })
  const leaking = Array.from({ length: 50 }, (_, i) => 200 + i * 4)
  assert.ok(rssGrowth(leaking).growth_mb > 100)
})

test('CPU per payment is split by process and summed', () => {
  assert.deepEqual(cpuPerPayment({ switch: 10, db: 5 }, { switch: 11, db: 5.5 }, 1000), { switch: 1, db: 0.5, total: 1.5 })
})

test('the deployable cost is switch + MariaDB + Kafka without the load generator, and a core carries 1000 ms of it a second', () => {
  assert.deepEqual(deployableCpu({ switch: 1.2, mariadb: 0.5, kafka: 0.3, bench: 0.9, total: 2.9 }), { ms: 2, perCore_per_s: 500 })
  assert.equal(deployableCpu({ switch: 1.2, bench: 0.9 }), undefined, 'not measured is not free')
  assert.deepEqual(deployableCpu({ switch: 0, mariadb: 0, kafka: 0 }), { ms: 0, perCore_per_s: 0 })
})

test('this process can read its own RSS and CPU time', () => {
  assert.ok(rssMb(process.pid) > 0)
  assert.ok(cpuSeconds(process.pid) >= 0)
})

test('quick runs are short; durations come from the environment and are checked', () => {
  assert.deepEqual([benchSettings({}).phase_s, benchSettings({}).soak_s], [60, 600])
  assert.deepEqual([benchSettings({ BENCH_QUICK: '1' }).phase_s, benchSettings({ BENCH_QUICK: '1' }).soak_s], [10, 30])
  assert.equal(benchSettings({ BENCH_QUICK: '1', BENCH_SOAK_S: '0' }).soak_s, 0)
  assert.throws(() => benchSettings({ BENCH_PHASE_S: 'ten' }), /BENCH_PHASE_S/)
})
