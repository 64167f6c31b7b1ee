// Cross-currency payments against single-currency transfers, one after the other in one run on the same
// switch, at the same closed-loop concurrency and DFSP mix: the load tester's "transfer" flow, then its "fx"
// flow (USD payers, TZS payees, a simulated FXP: each payment an fxTransfer and its dependent transfer,
// switch/loadtest/fx-flow.ts). A cross-currency payment is two prepares and two fulfils through the
// position pipeline where a transfer is one of each, so the target is at least half the single-currency rate.
import { loadavg } from 'node:os'
import type { LoadTestOptions, LoadTestResult } from '../switch/loadtest/loadtest.ts'
import type { PhaseOutcome } from './phase-outcome.ts'

/** Payments in flight in both runs: the closed model measures what the switch completes, not an offered rate. */
export const FX_PHASE_CONCURRENCY = 128
export const FX_SOURCE_CURRENCY = 'USD'
export const FX_TARGET_CURRENCY = 'TZS'
/** Cross-currency payments per second over single-currency transfers per second at least this. */
export const FX_TARGET_RATIO = 0.5

export interface FxOutcome {
  concurrency: number
  single: PhaseOutcome
  fx: PhaseOutcome
  /** The machine's 1-minute load average before and after each run (it is shared). */
  load: { single: [number, number]; fx: [number, number] }
  /** The ledger's invariants after both runs. */
  violations: string[]
}

type Phase = (name: string, o: Partial<LoadTestOptions>) => Promise<PhaseOutcome>

export async function fxPhase(phase: Phase, checkInvariants: () => Promise<string[]>, concurrency = FX_PHASE_CONCURRENCY): Promise<FxOutcome> {
  const l1 = loadavg()[0]!
  const single = await phase('single currency (fx comparison)', { concurrency, flow: 'transfer', currency: FX_SOURCE_CURRENCY })
  const l2 = loadavg()[0]!
  const fx = await phase('cross currency: fxTransfer + transfer', { concurrency, flow: 'fx', currency: FX_SOURCE_CURRENCY, targetCurrency: FX_TARGET_CURRENCY })
  const l3 = loadavg()[0]!
  return { concurrency, single, fx, load: { single: [l1, l2], fx: [l2, l3] }, violations: await checkInvariants() }
}

const errors = (r: LoadTestResult) => `${r.errors}${r.errors ? ` (${Object.entries(r.errorsByCode).map(([k, n]) => `${k}: ${n}`).join(', ')})` : ''}`
const latency = (r: LoadTestResult, phase: string) => { const p = r.phases[phase]; return p ? `${p.p50_ms} / ${p.p99_ms}` : '–' }
const cpu = (o: PhaseOutcome) => [o.cpu_ms.switch, o.cpu_ms.mariadb, o.cpu_ms.kafka, o.cpu_ms.bench].map((v) => v?.toFixed(2) ?? '–').join(' / ')

/** BENCHMARKS.md's section for the fx phase. */
export function fxSection(o: FxOutcome, when: string, machine: string): string {
  const single = o.single.result
  const fx = o.fx.result
  const ratio = single.throughput_per_s > 0 ? fx.throughput_per_s / single.throughput_per_s : 0
  const met = ratio >= FX_TARGET_RATIO ? 'met' : '**not met**'
  return `## Cross-currency payments (FX) against single-currency transfers (${when} UTC)

Machine: ${machine}. The same switch, one run after the other, ${o.concurrency} payments in flight (closed loop),
${single.duration_s} s / ${fx.duration_s} s. Single currency: ${single.dfsps} DFSPs in ${FX_SOURCE_CURRENCY}, the first sending ${Math.round((single.skew ?? 0) * 100)}%.
Cross currency: the same number of DFSPs, half paying in ${FX_SOURCE_CURRENCY}, half paid in ${FX_TARGET_CURRENCY}, through a simulated FXP
with accounts in both (FSPIOP v2.0); a payment is \`POST /fxTransfers\` (the conversion reserved on the payer's
${FX_SOURCE_CURRENCY} position, the FXP's \`PUT\` RESERVED) then \`POST /transfers\` for the converted amount (on the FXP's
${FX_TARGET_CURRENCY} position); it completes when the payee's fulfil commits both. Throughput: payments completed over
the time they took (start to last completion).

| run | completed | throughput | errors | latency p50 / p99 (ms) | CPU ms per payment: switch / MariaDB / Kafka / load generator |
|---|---|---|---|---|---|
| single currency: transfer | ${single.completed} | ${single.throughput_per_s}/s | ${errors(single)} | ${latency(single, 'transfer')} | ${cpu(o.single)} |
| cross currency: fxTransfer + transfer | ${fx.completed} | **${fx.throughput_per_s}/s** | ${errors(fx)} | ${latency(fx, 'payment')} (fxTransfer ${latency(fx, 'fxTransfer')}, transfer ${latency(fx, 'transfer')}) | ${cpu(o.fx)} |

- Cross-currency payments/s over single-currency transfers/s: **${ratio.toFixed(2)}** — target ≥ ${FX_TARGET_RATIO}: ${met}.
- The machine's 1-minute load average (shared with other work), before → after: single ${o.load.single.map((x) => x.toFixed(1)).join(' → ')}, cross currency ${o.load.fx.map((x) => x.toFixed(1)).join(' → ')}.
- DFSP books (and the FXP's, per currency) against positions: single ${single.booksMismatches.length} mismatches, cross currency ${fx.booksMismatches.length}${fx.booksMismatches.length ? ` (${fx.booksMismatches.slice(0, 3).join('; ')})` : ''}.
- Ledger invariants of the switch after both runs: ${o.violations.length} violations${o.violations.length ? ` (${o.violations.slice(0, 3).join('; ').slice(0, 600)})` : ''}.
`
}

/** BENCHMARKS.md's section when the comparison could not finish. */
export function fxFailedSection(error: string, when: string, machine: string): string {
  return `## Cross-currency payments (FX) against single-currency transfers (${when} UTC): **did not finish**

Machine: ${machine}; 1-minute load average when it stopped: ${loadavg()[0]!.toFixed(1)} (the machine is shared).

- What happened: ${error.slice(0, 300).replace(/\n/g, ' ')}.
`
}
