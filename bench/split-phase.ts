// The split deployment on this machine: the same open-loop rate and mix against the switch as one process
// (the one the other phases measure) and as separate processes per role, as the scale-out fault test runs
// it (test/faults/scale-out.ts): 2 api (the first also admin), 2 position, notification, timeout, quote. Each
// role process is started as the benchmark's switch is (bench/switch-process.ts: heap bounds, tracing), on a
// database and topics of its own. Side by side: throughput, latency, errors, CPU ms per transfer summed over
// the switch processes, and RSS per process.
import path from 'node:path'
import { loadavg } from 'node:os'
import { loadConfig } from '../switch/config/config.ts'
import { ensureDatabase, openDb } from '../ledger/store/db.ts'
import { checkInvariants } from '../ledger/invariants/ledger-invariants.ts'
import { pipelineInvariants } from '../switch/invariants/pipeline-invariants.ts'
import { runLoadTest, type LoadTestOptions, type LoadTestResult } from '../switch/loadtest/loadtest.ts'
import { createSwitchTopics } from '../test/support/kafka.ts'
import { cpuPerPayment, cpuSnapshot, watchRss, type Pids } from './process-stats.ts'
import { spawnSwitch, type SwitchProcess } from './switch-process.ts'
import type { PhaseOutcome } from './phase-outcome.ts'
import type { BenchSettings } from './settings.ts'
import type { Calibration } from './calibration.ts'
import { deployableCell, throughputCell } from './report-cells.ts'

/** The split deployment: process name → AGORA_ROLES. */
export const SPLIT_ROLES: readonly (readonly [name: string, roles: string])[] = [
  ['api-1', 'api,admin'], ['api-2', 'api'], ['position-1', 'position'], ['position-2', 'position'],
  ['notification', 'notification'], ['timeout', 'timeout'], ['quote', 'quote'],
]
const HEALTH_POLL_MS = 250
/** Seven processes joining their consumer groups (each join a rebalance) on a shared 2-core machine: as the scale-out test allows. */
export const SPLIT_HEALTHY_MS_MAX = 180_000

export interface SplitOutcome {
  rate: number
  one: PhaseOutcome
  split: {
    result: LoadTestResult
    /** CPU ms per completed transfer per process; `switch` is the sum over the role processes. */
    cpu_ms: Record<string, number>
    rssPeak_mb: Record<string, number>
  }
  processes: { name: string; roles: string }[]
  violations: string[]
  /** The machine's 1-minute load average before and after each deployment's run (it is shared). */
  load: { one: [number, number]; split: [number, number] }
}

type Phase = (name: string, o: Partial<LoadTestOptions>) => Promise<PhaseOutcome>

interface SplitContext {
  root: string
  env: NodeJS.ProcessEnv
  hubName: string
  settings: BenchSettings
  logDir: string
  /** The machine's other processes, for the CPU columns (MariaDB, Kafka, this one). */
  shared: Pids
  log: (line: string) => void
}

async function healthy(url: string, sw: SwitchProcess, name: string): Promise<void> {
  const deadline = performance.now() + SPLIT_HEALTHY_MS_MAX
  while (performance.now() < deadline && sw.child.exitCode === null) {
    try {
      const r = await fetch(`${url}/health`, { signal: AbortSignal.timeout(2_000) })
      const body = (await r.json()) as { services?: { status: string }[] }
      if (r.ok && (body.services ?? []).every((s) => s.status === 'OK')) return
    } catch {}
    await new Promise((r) => setTimeout(r, HEALTH_POLL_MS))
  }
  throw new Error(`split deployment: ${name} did not become healthy at ${url}`)
}

export async function splitPhase(phase: Phase, rate: number, c: SplitContext): Promise<SplitOutcome> {
  const load1 = loadavg()[0]!
  const one = await phase('one process (split comparison)', { rate })
  const load2 = loadavg()[0]!
  const database = `${c.env.AGORA_DB_NAME}_split`
  const env = { ...c.env, AGORA_DB_NAME: database, AGORA_KAFKA_TOPIC_PREFIX: `${c.env.AGORA_KAFKA_TOPIC_PREFIX}split.` }
  const dbConfig = { ...loadConfig().db, database }
  await ensureDatabase(dbConfig)
  const db = openDb(dbConfig)
  await createSwitchTopics(env)
  const basePort = Number(c.env.AGORA_HTTP_PORT) + 10
  const started: { name: string; roles: string; sw: SwitchProcess; url: string; adminUrl: string }[] = []
  const start = async (name: string, roles: string) => {
    const port = basePort + 2 * started.length
    const sw = spawnSwitch({
      cwd: c.root, nodeFlags: [], logFile: path.join(c.logDir, `split-${name}.log`),
      env: { ...env, AGORA_ROLES: roles, AGORA_KAFKA_CLIENT_ID: `agora-${name}`, AGORA_HTTP_PORT: String(port), AGORA_ADMIN_PORT: String(port + 1) },
    })
    const p = { name, roles, sw, url: `http://127.0.0.1:${port}`, adminUrl: `http://127.0.0.1:${port + 1}` }
    started.push(p)
    return p
  }
  try {
    c.log(`split deployment: ${SPLIT_ROLES.map(([n, r]) => `${n} (${r})`).join(', ')}`)
    // The first API process also serves the admin API and migrates the database; the others start after it.
    const [firstName, firstRoles] = SPLIT_ROLES[0]!
    const api1 = await start(firstName, firstRoles)
    await healthy(api1.url, api1.sw, firstName)
    const rest = await Promise.all(SPLIT_ROLES.slice(1).map(([n, r]) => start(n, r)))
    await Promise.all(rest.map((p) => healthy(p.url, p.sw, p.name)))
    const apiUrls = started.filter((p) => p.roles.split(',').includes('api')).map((p) => p.url)
    const pids: Pids = { ...Object.fromEntries(started.map((p) => [p.name, p.sw.child.pid])), ...c.shared }
    await new Promise((r) => setTimeout(r, c.settings.pause_ms))
    c.log(`split deployment: ${rate}/s open, transfer flow, ${c.settings.phase_s} s, DFSPs spread over ${apiUrls.length} API processes`)
    const rss = watchRss(pids)
    const load3 = loadavg()[0]!
    const cpuBefore = cpuSnapshot(pids)
    const { result } = await runLoadTest({
      apiUrl: api1.url, apiUrls, adminUrl: api1.adminUrl, hubName: c.hubName, dfsps: c.settings.dfsps, skew: c.settings.skew,
      duration_s: c.settings.phase_s, flow: 'transfer', rate, progress: (l) => process.stderr.write(`\r[bench] ${l}   `),
    })
    process.stderr.write('\n')
    const cpu = cpuPerPayment(cpuBefore, cpuSnapshot(pids), result.completed)
    const load4 = loadavg()[0]!
    rss.stop()
    const switchCpu = started.reduce((sum, p) => sum + (cpu[p.name] ?? 0), 0)
    const violations = await checkInvariants(db, pipelineInvariants({ expirySlack_ms: 60_000 }))
    return {
      rate, one, load: { one: [load1, load2], split: [load3, load4] }, processes: started.map(({ name, roles }) => ({ name, roles })), violations,
      split: { result, cpu_ms: { ...cpu, switch: Math.round(switchCpu * 100) / 100 }, rssPeak_mb: rss.peak },
    }
  } finally {
    for (const p of started) p.sw.child.kill('SIGTERM')
    await Promise.all(started.map((p) => p.sw.exited))
    await db.raw('DROP DATABASE IF EXISTS ??', [database]).catch(() => {})
    await db.destroy()
  }
}

/** BENCHMARKS.md's section for the split deployment phase. */
export function splitSection(o: SplitOutcome, when: string, nproc: string, machine: string, calibration?: Calibration): string {
  const latency = (r: LoadTestResult) => { const t = r.phases.transfer; return t ? `${t.p50_ms} / ${t.p99_ms}` : '–' }
  const errors = (r: LoadTestResult) => `${r.errors}${r.errors ? ` (${Object.entries(r.errorsByCode).map(([k, n]) => `${k}: ${n}`).join(', ')})` : ''}`
  const s = o.split
  const switchRssOne = o.one.switchRssPeak_mb
  const splitRss = o.processes.map((p) => `${p.name} ${s.rssPeak_mb[p.name] ?? '–'}`).join(', ')
  const splitRssTotal = o.processes.reduce((n, p) => n + (s.rssPeak_mb[p.name] ?? 0), 0)
  return `## Split deployment: one process against separate processes per role (${when} UTC)

Machine: ${machine}. The same open-loop rate (**${o.rate}/s**) and mix (${o.one.result.dfsps} DFSPs,
the first sending ${Math.round((o.one.result.skew ?? 0) * 100)}%), ${o.one.result.duration_s} s / ${s.result.duration_s} s, one after the other in one run.
Split: ${o.processes.map((p) => `${p.name} (\`${p.roles}\`)`).join(', ')}, each its own Node process started
as the benchmark's switch is, on one database and one set of topics (4 partitions); the simulated DFSPs
spread over the two API processes. All of it shares this machine's ${nproc} cores with MariaDB, Kafka and the load generator.

| deployment | completed | throughput: offered → achieved | errors | transfer p50 / p99 (ms) | CPU ms per transfer: switch (all its processes) / MariaDB / Kafka / load generator | deployable CPU per transfer: switch + MariaDB + Kafka | switch RSS peak (MB) |
|---|---|---|---|---|---|---|---|
| one process | ${o.one.result.completed} | ${throughputCell(o.one.result, calibration)} | ${errors(o.one.result)} | ${latency(o.one.result)} | ${[o.one.cpu_ms.switch, o.one.cpu_ms.mariadb, o.one.cpu_ms.kafka, o.one.cpu_ms.bench].map((v) => v?.toFixed(2) ?? '–').join(' / ')} | ${deployableCell(o.one.cpu_ms, calibration)} | ${switchRssOne} |
| split, ${o.processes.length} processes | ${s.result.completed} | ${throughputCell(s.result, calibration)} | ${errors(s.result)} | ${latency(s.result)} | ${[s.cpu_ms.switch, s.cpu_ms.mariadb, s.cpu_ms.kafka, s.cpu_ms.bench].map((v) => v?.toFixed(2) ?? '–').join(' / ')} | ${deployableCell(s.cpu_ms, calibration)} | ${splitRssTotal} in all: ${splitRss} |

- The machine's 1-minute load average (it is shared with other work), before → after: one process ${o.load.one.map((x) => x.toFixed(1)).join(' → ')}, split ${o.load.split.map((x) => x.toFixed(1)).join(' → ')}; above ${nproc} the numbers are disturbed by other work.
- CPU ms per transfer of each split process: ${o.processes.map((p) => `${p.name} ${s.cpu_ms[p.name]?.toFixed(2) ?? '–'}`).join(', ')}.
- Ledger invariants of the split deployment's database after its run: ${o.violations.length} violations${o.violations.length ? ` (${o.violations.slice(0, 3).join('; ')})` : ''}; DFSP books against positions: ${s.result.booksMismatches.length} mismatches.
`
}

/** BENCHMARKS.md's section when the comparison could not finish. */
export function splitFailedSection(rate: number, error: string, when: string, machine: string): string {
  return `## Split deployment: one process against separate processes per role (${when} UTC): **did not finish**

At ${rate}/s open. Machine: ${machine}; 1-minute load average when it stopped: ${loadavg()[0]!.toFixed(1)} (the machine is shared).

- What happened: ${error.slice(0, 300).replace(/\n/g, ' ')}.
`
}
