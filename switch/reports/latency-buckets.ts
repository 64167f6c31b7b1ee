// Latency percentiles from a histogram the database counts: each transfer's prepare-to-final time falls in
// a power-of-two bucket of milliseconds (bucket b holds (2^(b-1), 2^b] ms; bucket 0 holds up to 1 ms), so
// a day of transfers at benchmark volume comes back as a few rows per hour. A percentile is the upper
// bound of the bucket where the cumulative count reaches it: "p99 ≤ 64 ms", never more precise than that.
export const LATENCY_BUCKET_MAX = 40

export interface BucketCount { bucket: number; transfers: number }

/** The upper bound in ms of the bucket holding the q-th quantile (0 < q ≤ 1), or null without transfers. */
export function percentileUpperBound_ms(buckets: readonly BucketCount[], q: number): number | null {
  if (!(q > 0 && q <= 1)) throw new Error(`a quantile is in (0, 1], got ${q}`)
  const total = buckets.reduce((sum, b) => sum + b.transfers, 0)
  if (total === 0) return null
  const rank = Math.ceil(q * total)
  let seen = 0
  for (const b of [...buckets].sort((x, y) => x.bucket - y.bucket)) {
    seen += b.transfers
    if (seen >= rank) return 2 ** Math.min(b.bucket, LATENCY_BUCKET_MAX)
  }
  throw new Error('unreachable: the rank is at most the total')
}
