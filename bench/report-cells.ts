// Table cells every benchmark section writes the same way: offered and achieved rates, and the deployable
// CPU cost (switch + MariaDB + Kafka) with the payments one core carries at it; each also normalised to the
// machine's calibration (bench/calibration.ts) when there is one.
import type { LoadTestResult } from '../switch/loadtest/loadtest.ts'
import { normalisedCpuMs, normalisedRate, type Calibration } from './calibration.ts'
import { deployableCpu } from './process-stats.ts'

/** "offered 100/s → 96/s over 20.8 s (188/s normalised)". */
export function throughputCell(r: Pick<LoadTestResult, 'offered_per_s' | 'throughput_per_s' | 'window_s'>, c: Calibration | undefined): string {
  return `offered ${r.offered_per_s}/s → **${r.throughput_per_s}/s** over ${r.window_s} s${c ? ` (${normalisedRate(r.throughput_per_s, c)}/s normalised)` : ''}`
}

/** "2.10 ms, 476/s per core (1.05 ms, 952/s per core normalised)"; "–" when not measured. */
export function deployableCell(cpu_ms: Readonly<Record<string, number>>, c: Calibration | undefined): string {
  const d = deployableCpu(cpu_ms)
  if (!d) return '–'
  const n = c && normalisedCpuMs(d.ms, c)
  return `${d.ms.toFixed(2)} ms, ${d.perCore_per_s}/s per core${n !== undefined ? ` (${n.toFixed(2)} ms, ${n > 0 ? Math.round(1000 / n) : 0}/s per core normalised)` : ''}`
}
