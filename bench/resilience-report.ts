// The BENCHMARKS.md section for the isolation phases and the crash phase.
import type { IsolationOutcome } from './isolation-phases.ts'
import type { CrashOutcome } from './crash-phase.ts'

const ms = (v: number | undefined) => (v === undefined ? '–' : `${v} ms`)

export function resilienceSection(isolation: IsolationOutcome, crash: CrashOutcome): string {
  const a = isolation.without.result
  const b = isolation.with.result
  const q = (r: typeof a, k: 'p50_ms' | 'p95_ms' | 'p99_ms') => r.phases.transfer?.[k]
  const ratio = (k: 'p50_ms' | 'p95_ms' | 'p99_ms') => {
    const x = q(a, k)
    const y = q(b, k)
    return x && y ? (y / x).toFixed(2) : '–'
  }
  const c = crash.phase.result
  const errors = (r: typeof a) => `${r.errors}${r.errors ? ` (${Object.entries(r.errorsByCode).map(([k, n]) => `${k}: ${n}`).join(', ')})` : ''}`
  return `## One DFSP failing: healthy DFSPs' latency

Healthy DFSPs at ${isolation.rate}/s, first alone, then while a DFSP answering 500 and a black-holed one (takes
requests, never answers) are paid ${isolation.failingRate} transfers/s between them (${isolation.failingSent} sent; the black hole held ${isolation.blackHoleHeld} requests at the end).

| healthy transfers | completed | throughput: offered → achieved | errors | p50 | p95 | p99 |
|---|---|---|---|---|---|---|
| without failing DFSPs | ${a.completed} | ${a.offered_per_s}/s → ${a.throughput_per_s}/s | ${errors(a)} | ${ms(q(a, 'p50_ms'))} | ${ms(q(a, 'p95_ms'))} | ${ms(q(a, 'p99_ms'))} |
| with them | ${b.completed} | ${b.offered_per_s}/s → ${b.throughput_per_s}/s | ${errors(b)} | ${ms(q(b, 'p50_ms'))} | ${ms(q(b, 'p95_ms'))} | ${ms(q(b, 'p99_ms'))} |
| ratio with / without | | | | ${ratio('p50_ms')} | ${ratio('p95_ms')} | ${ratio('p99_ms')} |

## Crash to serving

Transfers at ${c.rate}/s for ${crash.phase.result.duration_s} s; ${crash.killAfter_s} s in the switch is SIGKILLed and started again at once
(${crash.killToRestart_ms} ms from the kill to the new process). From the restart:

- HTTP port answering: **${ms(crash.portAnswered_ms)}**
- first 202 (POST /transfers of a transfer that then completed): **${crash.first202_ms === undefined ? 'none within the phase' : ms(crash.first202_ms)}**
- first transfer completed: **${crash.firstCompleted_ms === undefined ? 'none within the phase' : ms(crash.firstCompleted_ms)}**
- transfers that expired because of the crash (EXPIRED in the ledger, counted after their expiry had passed): **${crash.expired}**
- the phase: ${c.completed} completed, offered ${c.offered_per_s}/s → ${c.throughput_per_s}/s over ${c.window_s} s, errors ${errors(c)}
`
}
