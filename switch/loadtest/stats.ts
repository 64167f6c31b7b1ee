// What a load test measures: latency per phase, completions per second, errors by code, the offered rate
// (requests sent over the time they were sent in) and the achieved one (completions between the first
// request and the last completion, so a run that overruns its duration is not credited with the offered
// rate); and, for the live progress line, the latencies since the last look (sorting only those keeps a
// long run cheap). Pure.
export class Stats {
  readonly latencies = new Map<string, number[]>()
  private recent = new Map<string, number[]>()
  readonly perSecond: number[] = []
  readonly errors = new Map<string, number>()
  completed = 0
  /** Requests sent (payments started). */
  sentCount = 0
  /** When the first and the last request were sent, from the start (ms). */
  firstSent_ms: number | undefined
  lastSent_ms = 0
  /** When the last payment completed, from the start (ms). */
  lastDone_ms = 0

  constructor(private readonly start_ms: number) {}

  latency(phase: string, ms: number): void {
    let list = this.latencies.get(phase)
    if (!list) this.latencies.set(phase, (list = []))
    list.push(ms)
    let window = this.recent.get(phase)
    if (!window) this.recent.set(phase, (window = []))
    window.push(ms)
  }

  /** Summaries of each phase's latencies since the previous call, then starts a new window. */
  takeWindow(): Map<string, PhaseSummary> {
    const taken = new Map([...this.recent].map(([phase, values]) => [phase, summarise(values)]))
    this.recent = new Map()
    return taken
  }

  /** A payment's first request went out at this time (performance.now()). */
  sent(at_ms: number): void {
    this.sentCount++
    const since = at_ms - this.start_ms
    if (this.firstSent_ms === undefined || since < this.firstSent_ms) this.firstSent_ms = since
    this.lastSent_ms = Math.max(this.lastSent_ms, since)
  }

  done(at_ms: number): void {
    this.completed++
    this.lastDone_ms = Math.max(this.lastDone_ms, at_ms - this.start_ms)
    const second = Math.floor((at_ms - this.start_ms) / 1000)
    while (this.perSecond.length <= second) this.perSecond.push(0)
    this.perSecond[second]!++
  }

  error(code: string): void {
    this.errors.set(code, (this.errors.get(code) ?? 0) + 1)
  }

  /** Achieved: completions over the time from the first request to the last completion (drain included). */
  throughput_per_s(): number {
    return ratePerSecond(this.completed, this.firstSent_ms ?? 0, this.lastDone_ms)
  }

  /** Offered: requests sent over the time from the first to the last of them. */
  offered_per_s(): number {
    return ratePerSecond(this.sentCount, this.firstSent_ms ?? 0, this.lastSent_ms)
  }

  /** From the first request to the last completion, in seconds (one decimal). */
  window_s(): number {
    return this.firstSent_ms === undefined ? 0 : Math.round(Math.max(0, this.lastDone_ms - this.firstSent_ms) / 100) / 10
  }

  get errorCount(): number {
    let n = 0
    for (const c of this.errors.values()) n += c
    return n
  }

  summary(phase: string): PhaseSummary {
    return summarise(this.latencies.get(phase) ?? [])
  }
}

function summarise(values: readonly number[]): PhaseSummary {
  const sorted = Float64Array.from(values).sort()
  const at = (p: number) => percentile(sorted, p)
  return { count: sorted.length, p50_ms: at(50), p95_ms: at(95), p99_ms: at(99), max_ms: Math.round((sorted.at(-1) ?? 0) * 10) / 10 }
}

export interface PhaseSummary {
  count: number
  p50_ms: number
  p95_ms: number
  p99_ms: number
  max_ms: number
}

/**
 * Events per second over the window [from_ms, to_ms], whole: `count` events of which the first is at the
 * window's start and the last at its end. 0 when there are none or the window is empty (one event alone
 * is no rate).
 */
export function ratePerSecond(count: number, from_ms: number, to_ms: number): number {
  const window_ms = to_ms - from_ms
  return count > 0 && window_ms > 0 ? Math.round(count / (window_ms / 1000)) : 0
}

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return Math.round(sorted[index]! * 10) / 10
}
