// One load phase of the benchmark as measured: the load test's result and the processes' costs.
import type { LoadTestResult } from '../switch/loadtest/loadtest.ts'

export interface PhaseOutcome {
  name: string
  result: LoadTestResult
  /** CPU milliseconds per completed payment, per process and in total. */
  cpu_ms: Record<string, number>
  switchRssPeak_mb: number
  switchRss: number[]
  /** The machine's 1-minute load average before and after the phase (it is shared with other work). */
  load?: [before: number, after: number]
}

/** "capacity 4.2 → 5.1; latency at 70% 3.0 → 3.3": the load the phases ran under. */
export function loadLine(phases: readonly PhaseOutcome[]): string {
  return phases.filter((p) => p.load).map((p) => `${p.name} ${p.load!.map((x) => x.toFixed(1)).join(' → ')}`).join('; ')
}
