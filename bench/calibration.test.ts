import { test } from 'node:test'
import assert from 'node:assert/strict'
import { calibrationOf, normalisedCpuMs, normalisedRate } from './calibration.ts'

test('the fastest calibration run counts: other work on the machine only slows runs down', () => {
  const c = calibrationOf([4_000_000, 5_100_000, 4_800_000], 10_200_000)
  assert.equal(c.opsPerSecond, 5_100_000)
  assert.equal(c.speed, 0.5)
})

test('on a machine half as fast as the reference, rates normalise up and CPU times down', () => {
  const half = calibrationOf([5_100_000], 10_200_000)
  assert.equal(normalisedRate(247, half), 494)
  assert.equal(normalisedCpuMs(3.6, half), 1.8)
  const same = calibrationOf([10_200_000], 10_200_000)
  assert.equal(normalisedRate(574, same), 574)
  assert.equal(normalisedCpuMs(1.25, same), 1.25)
})

test('a calibration that measured nothing normalises nothing', () => {
  const none = calibrationOf([], 10_200_000)
  assert.equal(none.speed, 0)
  assert.equal(normalisedRate(500, none), 0)
})
