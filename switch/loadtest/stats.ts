// What a load test measures: latency per phase, completions per second, errors by code. Pure.
export class Stats {
  readonly latencies = new Map<string, number[]>()
  readonly perSecond: number[] = []
  readonly errors = new Map<string, number>()
  completed = 0

  constructor(private readonly start_ms: number) {}

  latency(phase: string, ms: number): void {
    let list = this.latencies.get(phase)
    if (!list) this.latencies.set(phase, (list = []))
    list.push(ms)
  }

  done(at_ms: number): void {
    this.completed++
    const second = Math.floor((at_ms - this.start_ms) / 1000)
    while (this.perSecond.length <= second) this.perSecond.push(0)
    this.perSecond[second]!++
  }

  error(code: string): void {
    this.errors.set(code, (this.errors.get(code) ?? 0) + 1)
  }

  get errorCount(): number {
    let n = 0
    for (const c of this.errors.values()) n += c
    return n
  }

  summary(phase: string): PhaseSummary {
    const sorted = [...(this.latencies.get(phase) ?? [])].sort((a, b) => a - b)
    return { count: sorted.length, p50_ms: percentile(sorted, 50), p95_ms: percentile(sorted, 95), p99_ms: percentile(sorted, 99), max_ms: sorted.at(-1) ?? 0 }
  }
}

export interface PhaseSummary {
  count: number
  p50_ms: number
  p95_ms: number
  p99_ms: number
  max_ms: number
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return Math.round(sorted[index]! * 10) / 10
}
