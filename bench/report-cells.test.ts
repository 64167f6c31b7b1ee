import { test } from 'node:test'
import assert from 'node:assert/strict'
import { calibrationOf } from './calibration.ts'
import { deployableCell, throughputCell } from './report-cells.ts'

test('a phase shows the rate it offered and the rate it achieved, and that rate on the reference machine', () => {
  const half = calibrationOf([5_100_000], 10_200_000)
  assert.equal(throughputCell({ offered_per_s: 100, throughput_per_s: 96, window_s: 20.8 }, half), 'offered 100/s → **96/s** over 20.8 s (192/s normalised)')
  assert.equal(throughputCell({ offered_per_s: 100, throughput_per_s: 96, window_s: 20.8 }, undefined), 'offered 100/s → **96/s** over 20.8 s')
})

test('the deployable cost leaves the load generator out and says what one core carries', () => {
  const half = calibrationOf([5_100_000], 10_200_000)
  assert.equal(deployableCell({ switch: 1.5, mariadb: 0.3, kafka: 0.2, bench: 5 }, half), '2.00 ms, 500/s per core (1.00 ms, 1000/s per core normalised)')
  assert.equal(deployableCell({}, half), '–')
})
