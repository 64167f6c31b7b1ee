// A circuit breaker per DFSP for callback delivery. Closed: callbacks are tried. After
// BREAKER_FAILURES_TO_OPEN failures in a row (no answer, timeout, 5xx, 429) it opens: nothing is tried, the
// callbacks wait in the durable retry queue. After the cool-down it is half-open: one probe (a retry of
// one waiting callback) may go; its success closes the breaker, its failure opens it for another
// cool-down. Any answer that is not a failure (2xx, or a 4xx refusal: the DFSP is there) closes it.
// Per process, in memory, bounded: it decides only when to try, never anything about money.
export const BREAKER_FAILURES_TO_OPEN = 5
export const BREAKER_COOL_DOWN_MS = 5_000
/** A probe not reported within this is taken as lost, and another may go (tries are bounded far below it). */
export const BREAKER_PROBE_LEASE_MS = 60_000
/** Recipients remembered at most; the longest-remembered is forgotten first (forgetting only closes a breaker). */
export const RECIPIENTS_TRACKED_MAX = 10_000

export type BreakerState = 'closed' | 'open' | 'half-open'

type Entry =
  | { state: 'closed'; failures: number }
  | { state: 'open'; until_ms: number }
  | { state: 'probing'; since_ms: number }

export interface CircuitBreakers {
  /** half-open: the cool-down is over; a probe may go (or one is on its way). */
  state(recipient: string): BreakerState
  /** A probe may go now: the cool-down is over and no probe is on its way. */
  mayProbe(recipient: string): boolean
  /** Takes the one probe of a half-open breaker: true if the caller may try now. */
  startProbe(recipient: string): boolean
  /** When the next probe may go (now, for a closed breaker or while a probe is on its way). */
  probeAt_ms(recipient: string): number
  /** The DFSP answered (2xx, or refused with a 4xx): closes the breaker. */
  succeeded(recipient: string): void
  /** A try failed in a way worth retrying; answers the state it leaves the breaker in. */
  failed(recipient: string): BreakerState
  /** Recipients whose breaker is not closed. */
  notClosed(): string[]
  tracked(): number
}

export interface CircuitBreakerOptions {
  failuresToOpen?: number
  coolDown_ms?: number
  probeLease_ms?: number
  trackedMax?: number
  now_ms?: () => number
}

export function createCircuitBreakers(opts: CircuitBreakerOptions = {}): CircuitBreakers {
  const failuresToOpen = opts.failuresToOpen ?? BREAKER_FAILURES_TO_OPEN
  const coolDown_ms = opts.coolDown_ms ?? BREAKER_COOL_DOWN_MS
  const probeLease_ms = opts.probeLease_ms ?? BREAKER_PROBE_LEASE_MS
  const trackedMax = opts.trackedMax ?? RECIPIENTS_TRACKED_MAX
  const now_ms = opts.now_ms ?? Date.now
  const entries = new Map<string, Entry>()

  function remember(recipient: string, entry: Entry): void {
    if (!entries.has(recipient) && entries.size >= trackedMax) entries.delete(entries.keys().next().value!)
    entries.set(recipient, entry)
  }

  function stateOf(entry: Entry | undefined): BreakerState {
    if (entry === undefined || entry.state === 'closed') return 'closed'
    if (entry.state === 'open') return now_ms() < entry.until_ms ? 'open' : 'half-open'
    return 'half-open'
  }

  function open(recipient: string): BreakerState {
    remember(recipient, { state: 'open', until_ms: now_ms() + coolDown_ms })
    return 'open'
  }

  function mayProbe(entry: Entry | undefined): boolean {
    if (entry === undefined || entry.state === 'closed') return false
    return entry.state === 'open' ? now_ms() >= entry.until_ms : now_ms() - entry.since_ms >= probeLease_ms
  }

  return {
    state: (recipient) => stateOf(entries.get(recipient)),
    mayProbe: (recipient) => mayProbe(entries.get(recipient)),
    startProbe(recipient) {
      const free = mayProbe(entries.get(recipient))
      if (free) entries.set(recipient, { state: 'probing', since_ms: now_ms() })
      return free
    },
    probeAt_ms(recipient) {
      const entry = entries.get(recipient)
      if (entry?.state === 'open') return Math.max(now_ms(), entry.until_ms)
      return now_ms()
    },
    succeeded(recipient) {
      entries.delete(recipient)
    },
    failed(recipient) {
      const entry = entries.get(recipient)
      if (entry === undefined || entry.state === 'closed') {
        const failures = (entry?.failures ?? 0) + 1
        if (failures >= failuresToOpen) return open(recipient)
        remember(recipient, { state: 'closed', failures })
        return 'closed'
      }
      if (entry.state === 'probing') return open(recipient)
      return stateOf(entry) // a late try of an open breaker: the cool-down runs on
    },
    notClosed: () => [...entries].filter(([, e]) => e.state !== 'closed').map(([r]) => r),
    tracked: () => entries.size,
  }
}
