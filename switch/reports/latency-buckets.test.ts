import { test } from 'node:test'
import assert from 'node:assert/strict'
import { percentileUpperBound_ms } from './latency-buckets.ts'

test('a percentile is the upper bound of the bucket where the cumulative count reaches its rank', () => {
  const buckets = [{ bucket: 3, transfers: 50 }, { bucket: 1, transfers: 40 }, { bucket: 7, transfers: 10 }]
  assert.equal(percentileUpperBound_ms(buckets, 0.4), 2, '40 of 100 are ≤ 2 ms')
  assert.equal(percentileUpperBound_ms(buckets, 0.5), 8)
  assert.equal(percentileUpperBound_ms(buckets, 0.9), 8, 'rank 90 is the last of bucket 3')
  assert.equal(percentileUpperBound_ms(buckets, 0.99), 128)
  assert.equal(percentileUpperBound_ms(buckets, 1), 128)
})

test('no transfers, no percentile; a quantile outside (0, 1] is a bug', () => {
  assert.equal(percentileUpperBound_ms([], 0.5), null)
  assert.throws(() => percentileUpperBound_ms([{ bucket: 1, transfers: 1 }], 0), /quantile/)
  assert.throws(() => percentileUpperBound_ms([{ bucket: 1, transfers: 1 }], 1.5), /quantile/)
})
