// What a load test measures: latency per phase, completions per second, errors by code; and, for the
// live progress line, the latencies since the last look (sorting only those keeps a long run cheap). Pure.
export class Stats {
  readonly latencies = new Map<string, number[]>()
  private recent = new Map<string, number[]>()
  readonly perSecond: number[] = []
  readonly errors = new Map<string, number>()
  completed = 0
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

  /** Completions over the time they took: from the start to the last completion (drain included). */
  throughput_per_s(): number {
    return this.lastDone_ms > 0 ? Math.round(this.completed / (this.lastDone_ms / 1000)) : 0
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

export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return Math.round(sorted[index]! * 10) / 10
}
