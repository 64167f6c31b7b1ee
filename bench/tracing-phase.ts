// What tracing costs, side by side in one run: capacity (256 payments in flight) with tracing off and with
// tracing sampled at 1% (as `npm run bench` and production run it), alternately, twice each (off, 1%, off,
// 1%), each on a freshly started switch after the same warm-up, so that drift in the machine's load hits
// both settings alike. The cost is 1 - capacity at 1% / capacity off, from the sums of both pairs.
import { loadavg } from 'node:os'
import type { LoadTestOptions } from '../switch/loadtest/loadtest.ts'
import type { PhaseOutcome } from './phase-outcome.ts'
import type { Calibration } from './calibration.ts'
import { PHASE_TABLE_HEAD, phaseRow } from './write-benchmarks.ts'

export const TRACING_PHASE_CONCURRENCY = 256
export const TRACING_SAMPLE_RATIO = 0.01
/** The issue's bound on what tracing at 1% may cost of capacity. */
export const TRACING_COST_MAX = 0.05

type Phase = (name: string, o: Partial<LoadTestOptions>) => Promise<PhaseOutcome>
/** Starts the switch again with these variables over the run's environment (and waits until it is healthy). */
type RestartWith = (env: Record<string, string>) => Promise<void>

export interface TracingRun {
  tracing: 'off' | '1%'
  outcome: PhaseOutcome
  load: [before: number, after: number]
}

export interface TracingOutcome {
  runs: TracingRun[]
  /** Share of capacity lost to tracing at 1% (negative: none measurable). */
  cost: number
}

export const TRACING_ENV = {
  off: { AGORA_TRACING: 'false' },
  '1%': { AGORA_TRACING: 'true', AGORA_TRACING_SAMPLE_RATIO: String(TRACING_SAMPLE_RATIO) },
} as const

/** 1 - (sum of the capacities at 1%) / (sum of the capacities without tracing). */
export function tracingCost(runs: readonly Pick<TracingRun, 'tracing' | 'outcome'>[]): number {
  const sum = (t: TracingRun['tracing']) => runs.filter((r) => r.tracing === t).reduce((n, r) => n + r.outcome.result.throughput_per_s, 0)
  const off = sum('off')
  return off > 0 ? Math.round((1 - sum('1%') / off) * 1000) / 1000 : 0
}

export async function tracingPhases(phase: Phase, restartWith: RestartWith): Promise<TracingOutcome> {
  const runs: TracingRun[] = []
  for (const tracing of ['off', '1%', 'off', '1%'] as const) {
    await restartWith(TRACING_ENV[tracing])
    await phase(`warm-up (tracing ${tracing})`, { concurrency: 64, duration_s: 5 })
    const before = loadavg()[0]!
    const outcome = await phase(`capacity, tracing ${tracing}`, { concurrency: TRACING_PHASE_CONCURRENCY })
    runs.push({ tracing, outcome, load: [before, loadavg()[0]!] })
  }
  // The run goes on as it started: tracing at 1%, on a switch warmed up as the others were.
  await restartWith(TRACING_ENV['1%'])
  await phase('warm-up (tracing 1%, for the phases after)', { concurrency: 64, duration_s: 5 })
  return { runs, cost: tracingCost(runs) }
}

export function tracingSection(o: TracingOutcome, when: string, machine: string, calibration: Calibration | undefined): string {
  const cpu = (t: TracingRun['tracing']) => {
    const of = o.runs.filter((r) => r.tracing === t).map((r) => r.outcome.cpu_ms.switch ?? 0)
    return of.map((v) => v.toFixed(2)).join(', ')
  }
  return `## Tracing off against tracing at 1%, side by side (${when} UTC)

Capacity (${TRACING_PHASE_CONCURRENCY} transfers in flight), alternately without tracing and with tracing sampled at 1% (parent-based,
exported over OTLP/HTTP to a local sink), each on a freshly started switch after a 5 s warm-up. Machine: ${machine}.

${PHASE_TABLE_HEAD}
${o.runs.map((r) => phaseRow(r.outcome, calibration)).join('\n')}

- **Cost of tracing at 1%: ${(o.cost * 100).toFixed(1)}% of capacity** (target at most ${TRACING_COST_MAX * 100}%: ${o.cost <= TRACING_COST_MAX ? 'met' : '**not met**'}), from the sums of both pairs.
- Switch CPU ms per transfer without tracing: ${cpu('off')}; at 1%: ${cpu('1%')}.
- The machine's 1-minute load average before → after each measured phase: ${o.runs.map((r) => `${r.tracing} ${r.load.map((x) => x.toFixed(1)).join(' → ')}`).join('; ')} (shared with other work: above 2 the numbers are disturbed).
`
}
