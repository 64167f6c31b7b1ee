import { test } from 'node:test'
import assert from 'node:assert/strict'
import { BACKOFF_MAX_MS, retryDelay_ms } from './retry-backoff.ts'

test('each wait is between half and all of its exponential step: 100, 200, 400, 800 ms for a first step of 100 ms', () => {
  const steps = [1, 2, 3, 4].map((made) => [retryDelay_ms(100, made, () => 0), retryDelay_ms(100, made, () => 0.999999)])
  assert.deepEqual(steps, [[50, 100], [100, 200], [200, 400], [400, 800]])
})

test('callbacks that failed together get different waits (jitter spreads them over the upper half of the step)', () => {
  let seed = 7
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647)
  const waits = Array.from({ length: 200 }, () => retryDelay_ms(400, 3, random))
  assert.ok(waits.every((w) => w >= 800 && w <= 1600), 'within [step/2, step]')
  assert.ok(new Set(waits).size > 100, `spread out, got ${new Set(waits).size} distinct waits`)
  const mean = waits.reduce((a, b) => a + b, 0) / waits.length
  assert.ok(mean > 1100 && mean < 1300, `centred on 3/4 of the step, got ${mean}`)
})

test('the step is capped, however many tries were made', () => {
  assert.equal(retryDelay_ms(100, 40, () => 0.999999), BACKOFF_MAX_MS)
  assert.equal(retryDelay_ms(100, 40, () => 0), BACKOFF_MAX_MS / 2)
})
