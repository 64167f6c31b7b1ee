// One load phase of the benchmark as measured: the load test's result and the processes' costs.
import type { LoadTestResult } from '../switch/loadtest/loadtest.ts'

export interface PhaseOutcome {
  name: string
  result: LoadTestResult
  /** CPU milliseconds per completed payment, per process and in total. */
  cpu_ms: Record<string, number>
  switchRssPeak_mb: number
  switchRss: number[]
}
