// Writes BENCHMARKS.md from a benchmark run and returns the targets it missed. A run of every phase writes
// the whole file; a partial run (BENCH_PHASES) writes only the sections of what it ran (bench/partial-benchmarks.ts).
import { writeFileSync } from 'node:fs'
import type { LoadTestResult } from '../switch/loadtest/loadtest.ts'
import { BENCH_PHASE_NAMES, type BenchSettings, type Targets } from './settings.ts'
import type { Machine } from './machine.ts'
import type { IsolationOutcome } from './isolation-phases.ts'
import type { CrashOutcome } from './crash-phase.ts'
import { resilienceSection } from './resilience-report.ts'
import { isoBankSection, type IsoBankOutcome } from './iso-bank-phase.ts'
import { loadLine, type PhaseOutcome } from './phase-outcome.ts'
import { marked, type Section } from './benchmarks-sections.ts'
import { calibrationLine, type Calibration } from './calibration.ts'
import { deployableCell, throughputCell } from './report-cells.ts'

// bench/run.ts names it from here.
export type { PhaseOutcome } from './phase-outcome.ts'

export interface BenchOutcome {
  settings: BenchSettings
  targets: Targets
  machine: Machine
  position: { opsPerSecond: number }
  capacity: PhaseOutcome
  sustained: PhaseOutcome
  latency: PhaseOutcome
  latencyRate: number
  full: PhaseOutcome
  isoBanks: IsoBankOutcome
  isolation: IsolationOutcome
  crash: CrashOutcome
  soak: (PhaseOutcome & { growth: { warm_mb: number; end_mb: number; growth_mb: number } }) | undefined
  rssPeak_mb: Record<string, number>
  violations: string[]
  tracesExported: number
  profileDir: string | undefined
  /** Sections of their own (split deployment, G2P), marked so a partial run can replace them. */
  sections: Section[]
}

/** RSS growth over the soak that still counts as flat: noise of the allocator and the GC. */
export const RSS_GROWTH_ALLOWED_MB = 15

type Row = [what: string, wanted: string, measured: string, met: boolean]

function clean(r: LoadTestResult): boolean {
  return r.errors === 0 && r.booksMismatches.length === 0
}

function rows(o: BenchOutcome): Row[] {
  const t = o.targets
  const p99 = o.latency.result.phases.transfer?.p99_ms
  const switchPeak = Math.max(o.capacity.switchRssPeak_mb, o.sustained.switchRssPeak_mb, o.latency.switchRssPeak_mb, o.full.switchRssPeak_mb, o.soak?.switchRssPeak_mb ?? 0)
  const list: Row[] = [
    ['transfers/s sustained (prepare + fulfil, all callbacks), zero errors', `≥ ${t.transfers_per_s}`, `${o.sustained.result.throughput_per_s}/s, ${o.sustained.result.errors} errors`, o.sustained.result.throughput_per_s >= t.transfers_per_s * 0.98 && clean(o.sustained.result)],
    ['lookup + quote + transfer per second, zero errors', `≥ ${t.full_per_s}`, `${o.full.result.throughput_per_s}/s, ${o.full.result.errors} errors`, o.full.result.throughput_per_s >= t.full_per_s * 0.98 && clean(o.full.result)],
    [`p99 POST /transfers → payer's final callback at 70% of max (${o.latencyRate}/s)`, `< ${t.p99_ms} ms`, `${p99 ?? '–'} ms`, (p99 ?? Infinity) < t.p99_ms && clean(o.latency.result)],
    ['position batch reserve + commit, in process', `≥ ${t.position_ops_per_s.toLocaleString('en')}/s`, `${o.position.opsPerSecond.toLocaleString('en')}/s`, o.position.opsPerSecond >= t.position_ops_per_s],
    ['switch peak RSS under load', `< ${t.rss_mb} MB`, `${switchPeak} MB`, switchPeak < t.rss_mb],
  ]
  if (o.soak) {
    const g = o.soak.growth
    list.push([`switch RSS growth over a ${o.soak.result.duration_s} s soak at ${o.latencyRate}/s`, `≤ ${RSS_GROWTH_ALLOWED_MB} MB`, `${g.growth_mb >= 0 ? '+' : ''}${g.growth_mb} MB (${g.warm_mb} → ${g.end_mb} MB)`, g.growth_mb <= RSS_GROWTH_ALLOWED_MB && clean(o.soak.result)])
  }
  list.push(['ledger invariants after all runs; DFSP books against positions', '0 violations', `${o.violations.length}; ${phases(o).reduce((n, p) => n + p.result.booksMismatches.length, 0)}`, o.violations.length === 0 && phases(o).every((p) => p.result.booksMismatches.length === 0)])
  return list
}

function phases(o: BenchOutcome): PhaseOutcome[] {
  return [o.capacity, o.sustained, o.latency, o.full, o.isolation.without, o.isolation.with, o.crash.phase, ...(o.soak ? [o.soak] : [])]
}

/** The header of the table phaseRow writes rows of. */
export const PHASE_TABLE_HEAD = `| phase | load | completed | throughput: offered → achieved (first request to last completion) | errors | latency p50 / p99 (ms) | CPU ms per payment: switch / load generator / MariaDB / Kafka / total (co-located) | deployable CPU per payment: switch + MariaDB + Kafka |
|---|---|---|---|---|---|---|---|`

export function phaseRow(p: PhaseOutcome, calibration?: Calibration): string {
  const r = p.result
  const latency = Object.entries(r.phases).map(([name, s]) => `${name} ${s.p50_ms} / ${s.p99_ms}`).join('; ')
  const cpu = ['switch', 'bench', 'mariadb', 'kafka', 'total'].map((k) => p.cpu_ms[k]?.toFixed(2) ?? '–').join(' / ')
  return `| ${p.name} | ${r.rate ? `${r.rate}/s open` : `${r.concurrency} in flight`} | ${r.completed} | ${throughputCell(r, calibration)} | ${r.errors}${r.errors ? ` (${Object.entries(r.errorsByCode).map(([c, n]) => `${c}: ${n}`).join(', ')})` : ''} | ${latency} | ${cpu} | ${deployableCell(p.cpu_ms, calibration)} |`
}

/** The re-run block at the top of BENCHMARKS.md. */
export function rerunBlock(s: BenchSettings): string {
  return `Measured by the project's own benchmark (\`bench/\`). Re-run with:

\`\`\`sh
npm run bench                   # ${s.phase_s === 60 && s.soak_s === 600 && s.allPhases ? 'this run: ' : ''}60 s per phase and a 10-minute memory soak (about 20 minutes)
BENCH_QUICK=1 npm run bench     # 10 s phases, 30 s soak: indicative only
BENCH_PROFILE=1 npm run bench   # also CPU profiles of the switch and the load generator (reports/)
BENCH_PHASES=split,g2p npm run bench   # only these phases (${BENCH_PHASE_NAMES.join(', ')});
                                # writes their sections and leaves the rest of this file as it was
BENCH_RATE=200 BENCH_G2P_BENEFICIARIES=100000   # 70%-phases' rate when the maximum is not measured; G2P size
BENCH_SWITCH_HEAP_MB=1024       # the switch's --max-old-space-size instead of npm start's 256 (stated with the numbers)
\`\`\``
}

export function writeBenchmarks(file: string, o: BenchOutcome): string[] {
  const list = rows(o)
  const missed = list.filter((r) => !r[3]).map((r) => `${r[0]}: ${r[2]} (target ${r[1]})`)
  const m = o.machine
  const s = o.settings
  const d = m.durability
  const md = `# Benchmarks

${rerunBlock(s)}

## Last run: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC${s.quick || s.phase_s < 60 ? ` (short: ${s.phase_s} s phases, ${s.soak_s} s soak; indicative)` : ''}

- **Machine**: \`nproc\` ${m.nproc}; ${m.cpuModel}; \`free -h\`: ${m.memory}; Node ${m.node}${m.calibration ? `; ${calibrationLine(m.calibration)}` : ''}.
  Everything co-located on it: MariaDB ${m.mariadb}, Kafka 4.1 (KRaft, one broker, a JVM), the switch (one
  process, all roles, started as \`npm start\` starts it), the reference DFSPs and the load generator (one process).
- **Durability** (read from the running servers): MariaDB \`innodb_flush_log_at_trx_commit=${d.innodbFlushLogAtTrxCommit}\`,
  binlog ${d.binlog}; Kafka producer \`acks=all\` (idempotent), topics with 4 partitions, replication factor 1
  (one broker; Kafka leaves fsync to the OS, as it does by default). Every transfer is a real FSPIOP HTTP
  prepare and fulfil with all callbacks to the DFSPs over HTTP.
- **Tracing**: on, sampled at 1% (parent-based), exported over OTLP/HTTP to a local sink (${o.tracesExported} exports received).
- **Mix**: ${s.dfsps} simulated DFSPs per phase (100 customers each), the first sending ${Math.round(s.skew * 100)}%; amounts of 1 USD.

| target | wanted | measured | met |
|---|---|---|---|
${list.map((r) => `| ${r[0]} | ${r[1]} | ${r[2]} | ${r[3] ? 'yes' : '**no**'} |`).join('\n')}

${PHASE_TABLE_HEAD}
${phases(o).map((p) => phaseRow(p, m.calibration)).join('\n')}

- The machine's 1-minute load average before → after each phase (shared with other work: above ${m.nproc} the numbers are disturbed): ${loadLine(phases(o))}.

- CPU time of the switch process per transfer at ${o.targets.transfers_per_s}/s: **${o.sustained.cpu_ms.switch?.toFixed(2)} ms**; of the
  deployable processes (switch + MariaDB + Kafka): ${deployableCell(o.sustained.cpu_ms, m.calibration)}; of every
  process on the machine together (switch, MariaDB, Kafka, DFSPs and load generator): ${o.sustained.cpu_ms.total?.toFixed(2)} ms
  (Mojaloop v17.1: about 54 vCPU-ms per transfer across its services, Kafka and MySQL included).
- Peak RSS: ${Object.entries(o.rssPeak_mb).map(([k, v]) => `${k} ${v} MB`).join(', ')}.
${o.profileDir ? `- CPU profiles: \`${o.profileDir}\` (summarise with \`node --import tsx bench/profile-summary.ts FILE\`).\n` : ''}${o.violations.length ? `\nInvariant violations:\n${o.violations.map((v) => `- ${v}`).join('\n')}\n` : ''}${phases(o).some((p) => p.result.booksMismatches.length) ? `\nDFSP books against the switch:\n${phases(o).flatMap((p) => p.result.booksMismatches.slice(0, 5).map((b) => `- ${p.name}: ${b}`)).join('\n')}\n` : ''}
${isoBankSection(o.isoBanks)}
${resilienceSection(o.isolation, o.crash)}
${o.sections.map(marked).join('\n')}
${missed.length ? `## Missed targets\n\n${missed.map((x) => `- ${x}`).join('\n')}\n` : '## All targets met\n'}
Where the time goes, from CPU profiles, and what stands between these numbers and the targets:
\`docs/performance.md\`.
`
  writeFileSync(file, md)
  return missed
}
