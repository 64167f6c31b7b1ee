// Token buckets, one per key (a participant): each holds at most `burst` tokens, refills at `rate_per_s`,
// and a request takes one. In process memory, so a limit holds per switch process: N api replicas let a
// participant through at up to N times the rate. At most `keysMax` buckets are kept (least recently
// used dropped); a dropped bucket comes back full, which only ever lets its key through sooner.
import { LruMap } from '../fspiop/lru-map.ts'

export interface TokenBucketSettings {
  /** Tokens added per second; 0 turns the limit off. */
  readonly rate_per_s: number
  /** The most tokens a bucket holds: the requests a key may send at once after being quiet. */
  readonly burst: number
}

export type Take = { ok: true } | { ok: false; retryAfter_ms: number }

export interface TokenBuckets {
  take(key: string): Take
}

/** Distinct keys with a bucket at a time (participants of a scheme are far fewer). */
export const TOKEN_BUCKET_KEYS_MAX = 10_000

export function createTokenBuckets(settings: TokenBucketSettings, now_ms: () => number = () => performance.now(), keysMax = TOKEN_BUCKET_KEYS_MAX): TokenBuckets {
  const { rate_per_s, burst } = settings
  if (rate_per_s === 0) return { take: () => ({ ok: true }) }
  if (!(rate_per_s > 0) || !(burst >= 1)) throw new Error(`token buckets: rate_per_s must be positive and burst at least 1, got ${rate_per_s} and ${burst}`)
  const buckets = new LruMap<string, { tokens: number; at_ms: number }>(keysMax)
  return {
    take(key) {
      const at_ms = now_ms()
      const bucket = buckets.get(key) ?? { tokens: burst, at_ms }
      bucket.tokens = Math.min(burst, bucket.tokens + ((at_ms - bucket.at_ms) * rate_per_s) / 1000)
      bucket.at_ms = at_ms
      buckets.set(key, bucket)
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1
        return { ok: true }
      }
      return { ok: false, retryAfter_ms: Math.ceil(((1 - bucket.tokens) * 1000) / rate_per_s) }
    },
  }
}
