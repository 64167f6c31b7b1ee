// A partial run (BENCH_PHASES): its own dated sections in BENCHMARKS.md, one for the load phases it ran and
// one per phase with a section of its own (split, G2P, FX); every other section of the file stays as the run
// that wrote it left it (bench/benchmarks-sections.ts).
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import type { Machine } from './machine.ts'
import type { BenchSettings } from './settings.ts'
import { loadLine, type PhaseOutcome } from './phase-outcome.ts'
import type { IsolationOutcome } from './isolation-phases.ts'
import type { CrashOutcome } from './crash-phase.ts'
import { isoBankSection, type IsoBankOutcome } from './iso-bank-phase.ts'
import { resilienceSection } from './resilience-report.ts'
import { mergeSections, type Section } from './benchmarks-sections.ts'
import { PHASE_TABLE_HEAD, phaseRow } from './write-benchmarks.ts'
import { calibrationLine } from './calibration.ts'

export interface PartialOutcome {
  settings: BenchSettings
  machine: Machine
  /** The load phases measured (capacity, sustained, …), in run order. */
  phases: PhaseOutcome[]
  position: { opsPerSecond: number } | undefined
  isoBanks: IsoBankOutcome | undefined
  isolation: IsolationOutcome | undefined
  crash: CrashOutcome | undefined
  /** The 70% phases' rate and where it came from. */
  latencyRate: number
  latencyRateMeasured: boolean
  violations: string[]
  tracesExported: number
  /** Sections of their own (split deployment, G2P). */
  sections: Section[]
}

export function machineLine(m: Machine, s: BenchSettings): string {
  return `\`nproc\` ${m.nproc}; ${m.cpuModel}; \`free -h\`: ${m.memory}; Node ${m.node}; MariaDB ${m.mariadb} \`innodb_flush_log_at_trx_commit=${m.durability.innodbFlushLogAtTrxCommit}\`, binlog ${m.durability.binlog}; Kafka 4.1 one broker, \`acks=all\`, replication factor 1; ${m.calibration ? `${calibrationLine(m.calibration)}; ` : ''}tracing sampled at 1%; switch heap \`--max-old-space-size=${s.switchHeapMb}\`${s.switchHeapMb === 256 ? ' (as `npm start`)' : ' (**not** `npm start`\'s 256)'}`
}

function loadSection(o: PartialOutcome, when: string): Section | undefined {
  const ran = o.settings.phases.filter((p) => p !== 'split' && p !== 'g2p' && p !== 'fx' && p !== 'tracing')
  if (ran.length === 0) return undefined
  const s = o.settings
  const markdown = `## Partial run ${when} UTC: ${ran.join(', ')} (\`BENCH_PHASES=${s.phases.join(',')}\`)

Only these phases ran; the full run's sections above are from their own run. ${s.phase_s} s phases${s.phases.includes('soak') ? `, ${s.soak_s} s soak` : ''}${s.quick || s.phase_s < 60 ? ' (short: indicative)' : ''}.
70% phases at ${o.latencyRate}/s (${o.latencyRateMeasured ? '70% of the maximum measured in this run' : 'BENCH_RATE: the maximum was not measured in this run'}).
Machine: ${machineLine(o.machine, s)} (${o.tracesExported} trace exports received). ${s.dfsps} simulated DFSPs, the first sending ${Math.round(s.skew * 100)}%.
${o.position ? `\n- Position batch reserve + commit, in process: ${o.position.opsPerSecond.toLocaleString('en')}/s.\n` : ''}
${o.phases.length ? `${PHASE_TABLE_HEAD}
${o.phases.map((p) => phaseRow(p, o.machine.calibration)).join('\n')}

- The machine's 1-minute load average before → after each phase (shared with other work: above ${o.machine.nproc} the numbers are disturbed): ${loadLine(o.phases)}.
` : ''}
- Ledger invariants of the one-process switch after the run: ${o.violations.length} violations${o.violations.length ? `: ${o.violations.slice(0, 5).join('; ')}` : ''}.
${o.isoBanks ? `\n${isoBankSection(o.isoBanks)}` : ''}${o.isolation && o.crash ? `\n${resilienceSection(o.isolation, o.crash)}` : ''}`
  return { id: `partial-${ran.join('-')}`, markdown }
}

export function writePartialBenchmarks(file: string, o: PartialOutcome): void {
  const when = new Date().toISOString().slice(0, 16).replace('T', ' ')
  const existing = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n'
  const load = loadSection(o, when)
  writeFileSync(file, mergeSections(existing, [...(load ? [load] : []), ...o.sections]))
}
