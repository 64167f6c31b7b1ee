// `npm run bench`: the standard benchmark on this machine, everything co-located (MariaDB, Kafka, the
// switch as its own process started as `npm start` starts it, the DFSPs and the load generator in this
// one), durable settings, tracing sampled at 1%. Writes BENCHMARKS.md and exits non-zero when a target is
// missed. Durations and profiling come from the environment (bench/settings.ts; BENCH_QUICK=1 for a short run,
// BENCH_PHASES=split,g2p for only some phases, which then write only their own sections).
import { createServer } from 'node:http'
import { mkdirSync } from 'node:fs'
import { loadavg } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadConfig } from '../switch/config/config.ts'
import { ensureDatabase, openDb } from '../ledger/store/db.ts'
import { checkInvariants } from '../ledger/invariants/ledger-invariants.ts'
import { pipelineInvariants } from '../switch/invariants/pipeline-invariants.ts'
import { runLoadTest, type LoadTestOptions, type LoadTestResult } from '../switch/loadtest/loadtest.ts'
import { measurePositionBatch } from './position-batch.ts'
import { cpuPerPayment, cpuSnapshot, pidFromFile, rssGrowth, watchRss } from './process-stats.ts'
import { benchSettings, TARGETS, type BenchPhaseName } from './settings.ts'
import { describeMachine } from './machine.ts'
import { calibrate, calibrationLine } from './calibration.ts'
import { nameSwitchProfile, startSelfProfile } from './self-profile.ts'
import { ensurePortFree, spawnSwitch, waitForAnswer, PORT_POLL_MS, SWITCH_OLD_SPACE_MB } from './switch-process.ts'
import { createSwitchTopics } from '../test/support/kafka.ts'
import { isolationPhases } from './isolation-phases.ts'
import { tracingPhases, tracingSection } from './tracing-phase.ts'
import { crashPhase, CRASH_PHASE_S_MIN } from './crash-phase.ts'
import { isoBankPhase, type IsoBankOutcome } from './iso-bank-phase.ts'
import { splitFailedSection, splitPhase, splitSection } from './split-phase.ts'
import { g2pFailedSection, g2pPhase, g2pSection } from './g2p-phase.ts'
import { fxFailedSection, fxPhase, fxSection } from './fx-phase.ts'
import { machineLine, writePartialBenchmarks } from './partial-benchmarks.ts'
import type { Section } from './benchmarks-sections.ts'
import { writeBenchmarks, type BenchOutcome, type PhaseOutcome } from './write-benchmarks.ts'

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
const settings = benchSettings()
const API_PORT = 3100
const ADMIN_PORT = 3101
const stamp = new Date().toISOString().replace(/[:.]/g, '-')
const profileDir = path.join(root, 'reports', `bench-${stamp}`)

const base = loadConfig()
const database = `agora_bench_${Date.now()}`
const env = {
  ...process.env, AGORA_ENV: process.env.AGORA_ENV ?? 'development', AGORA_DB_NAME: database, AGORA_KAFKA_TOPIC_PREFIX: `bench${Date.now()}.`, AGORA_HTTP_PORT: String(API_PORT), AGORA_ADMIN_PORT: String(ADMIN_PORT),
  AGORA_LOG_LEVEL: 'warn', AGORA_TRACING: 'true', AGORA_TRACING_SAMPLE_RATIO: '0.01', AGORA_KAFKA_PARTITIONS: '4', AGORA_MANAGE_DEPS: '0',
}
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`)

// A trace sink, so 1% tracing does its real work (export over OTLP/HTTP) without an outside collector.
let tracesReceived = 0
const sink = createServer((req, res) => { req.on('data', () => {}); req.on('end', () => { tracesReceived++; res.writeHead(200).end('{}') }) })
await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r))
env.OTEL_EXPORTER_OTLP_ENDPOINT = `http://127.0.0.1:${(sink.address() as { port: number }).port}`

await ensureDatabase({ ...base.db, database })
const db = openDb({ ...base.db, database })
const machine = await describeMachine(db)
// Before anything else runs: the machine's single-core speed, which every figure is also normalised to.
log('calibration: single-core position batch')
machine.calibration = calibrate()
log(calibrationLine(machine.calibration))
mkdirSync(profileDir, { recursive: true })
const selfProfile = settings.profile ? await startSelfProfile() : undefined

log(`starting the switch (database ${database}), its log and any CPU profiles in ${profileDir}`)
// Every thread writes its own profile (tsx runs a loader thread); the main thread's is the largest.
const profileFlags = settings.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []
const switchLog = path.join(profileDir, 'switch.log')
await createSwitchTopics(env) // the switch never creates its topics
for (const port of [API_PORT, ADMIN_PORT]) await ensurePortFree(port)
let sw = spawnSwitch({ cwd: root, env, nodeFlags: profileFlags, logFile: switchLog, oldSpaceMb: settings.switchHeapMb })
await waitForAnswer(`http://127.0.0.1:${API_PORT}/health`, { healthy: true })
const home = process.env.AGORA_HOME ?? path.join(process.env.HOME ?? '/root', '.cache', 'agora')
const pids = { switch: sw.child.pid, bench: process.pid, mariadb: pidFromFile(path.join(home, 'mariadb', 'mariadb.pid')), kafka: pidFromFile(path.join(home, 'kafka', 'kafka.pid')) }
const rss = watchRss(pids)

async function phase(name: string, o: Partial<LoadTestOptions>): Promise<PhaseOutcome> {
  await new Promise((r) => setTimeout(r, settings.pause_ms))
  log(`${name}: ${o.rate ? `${o.rate}/s open` : `${o.concurrency} in flight`}, ${o.flow ?? 'transfer'} flow, ${o.duration_s ?? settings.phase_s} s`)
  const loadBefore = loadavg()[0]!
  const cpuBefore = cpuSnapshot(pids)
  const rssFrom = rss.series.switch?.length ?? 0
  const { result } = await runLoadTest({
    apiUrl: `http://127.0.0.1:${API_PORT}`, adminUrl: `http://127.0.0.1:${ADMIN_PORT}`, hubName: base.hubName, dfsps: settings.dfsps, skew: settings.skew,
    duration_s: settings.phase_s, flow: 'transfer', progress: (l) => process.stderr.write(`\r[bench] ${l}   `), ...o,
  })
  process.stderr.write('\n')
  const switchRss = rss.series.switch?.slice(rssFrom) ?? []
  return { name, result, cpu_ms: cpuPerPayment(cpuBefore, cpuSnapshot(pids), result.completed), switchRssPeak_mb: Math.max(0, ...switchRss), switchRss, load: [loadBefore, loadavg()[0]!] }
}

/** Stops the switch (SIGTERM) and starts it again with these variables over the run's environment, healthy. */
async function restartSwitchWith(extra: Record<string, string>): Promise<void> {
  const stopping = performance.now()
  sw.child.kill('SIGTERM')
  await sw.exited
  // A switch that had to be forced out (exit code 1 after its grace) left its consumer groups without leaving them.
  log(`switch stopped in ${Math.round(performance.now() - stopping)} ms (exit code ${sw.child.exitCode}, signal ${sw.child.signalCode})`)
  for (const port of [API_PORT, ADMIN_PORT]) await ensurePortFree(port)
  sw = spawnSwitch({ cwd: root, env: { ...env, ...extra }, nodeFlags: [], logFile: switchLog, oldSpaceMb: settings.switchHeapMb })
  pids.switch = sw.child.pid
  await waitForAnswer(`http://127.0.0.1:${API_PORT}/health`, { healthy: true })
}

/** SIGKILLs the switch and starts it again; answers when each happened and when its port answered (performance.now()). */
async function restartSwitch(): Promise<{ killed_ms: number; restarted_ms: number; portAnswered_ms: number }> {
  const killed_ms = performance.now()
  sw.child.kill('SIGKILL')
  await sw.exited
  const restarted_ms = performance.now()
  sw = spawnSwitch({ cwd: root, env, nodeFlags: [], logFile: switchLog, oldSpaceMb: settings.switchHeapMb })
  pids.switch = sw.child.pid
  const portAnswered_ms = await waitForAnswer(`http://127.0.0.1:${API_PORT}/health`, { healthy: false, poll_ms: PORT_POLL_MS })
  return { killed_ms, restarted_ms, portAnswered_ms }
}

let exitCode = 1
const want = (p: BenchPhaseName) => settings.phases.includes(p)
const apiUrl = `http://127.0.0.1:${API_PORT}`
const adminUrl = `http://127.0.0.1:${ADMIN_PORT}`
try {
  log(`phases: ${settings.phases.join(', ')}`)
  if (want('position')) log('position batch, in process')
  const position = want('position') ? measurePositionBatch() : undefined
  const loadPhases = settings.phases.some((p) => p !== 'position' && p !== 'g2p' && p !== 'iso-banks')
  if (loadPhases) await phase('warm-up', { concurrency: 64, duration_s: 5 })
  const capacity = want('capacity') ? await phase('capacity', { concurrency: 256 }) : undefined
  const when = () => new Date().toISOString().slice(0, 16).replace('T', ' ')
  const sections: Section[] = []
  if (want('tracing')) {
    const tracing = await tracingPhases(phase, restartSwitchWith)
    log(`tracing at 1% costs ${(tracing.cost * 100).toFixed(1)}% of capacity`)
    sections.push({ id: 'tracing', markdown: tracingSection(tracing, when(), machineLine(machine, settings), machine.calibration) })
  }
  const sustained = want('sustained') ? await phase('sustained', { rate: TARGETS.transfers_per_s }) : undefined
  const max = Math.max(capacity?.result.throughput_per_s ?? 0, sustained && sustained.result.errors === 0 ? sustained.result.throughput_per_s : 0)
  const latencyRateMeasured = max > 0
  const latencyRate = latencyRateMeasured ? Math.max(1, Math.floor(max * 0.7)) : settings.fixedRate
  const latency = want('latency') ? await phase('latency at 70%', { rate: latencyRate }) : undefined
  const full = want('full') ? await phase('lookup + quote + transfer', { rate: TARGETS.full_per_s, flow: 'full' }) : undefined
  let isoBanks: IsoBankOutcome | undefined
  if (want('iso-banks')) {
    await new Promise((r) => setTimeout(r, settings.pause_ms))
    isoBanks = await isoBankPhase({ root, apiUrl, adminUrl, hubName: base.hubName, duration_s: settings.phase_s, log })
  }
  const isolation = want('isolation') ? await isolationPhases(phase, { apiUrl, adminUrl, hubName: base.hubName, rate: latencyRate }) : undefined
  const soak = want('soak') && settings.soak_s > 0 ? await phase('soak at 70%', { rate: latencyRate, duration_s: settings.soak_s }) : undefined
  if (want('split')) {
    try {
      const split = await splitPhase(phase, latencyRate, { root, env, hubName: base.hubName, settings, logDir: profileDir, shared: { bench: pids.bench, mariadb: pids.mariadb, kafka: pids.kafka }, log })
      sections.push({ id: 'split', markdown: splitSection(split, when(), machine.nproc, machineLine(machine, settings), machine.calibration) })
    } catch (error) {
      // A run that could not finish is a result too: written as such, with the machine's load.
      log(`split failed: ${(error as Error).message}`)
      sections.push({ id: 'split', markdown: splitFailedSection(latencyRate, (error as Error).message, when(), machineLine(machine, settings)) })
    }
  }
  if (want('g2p')) {
    // Another heap than npm start's is another deployment: its own section, beside the one at 256 MB.
    const g2pId = settings.switchHeapMb === SWITCH_OLD_SPACE_MB ? 'g2p' : `g2p-heap${settings.switchHeapMb}`
    await new Promise((r) => setTimeout(r, settings.pause_ms))
    try {
      const g2p = await g2pPhase({ apiUrl, adminUrl, hubName: base.hubName, beneficiaries: settings.g2pBeneficiaries, db, pids, log })
      sections.push({ id: g2pId, markdown: g2pSection(g2p, when(), machineLine(machine, settings), machine.calibration) })
    } catch (error) {
      // A failed disbursement is a result too: written as such, and the switch started again if it died.
      await Promise.race([sw.exited, new Promise((r) => setTimeout(r, 3_000))]) // a dying switch's exit, if it is one
      const died = sw.child.exitCode !== null || sw.child.signalCode !== null
      const reason = sw.stderrTail().split('\n').find((l) => /FATAL ERROR|out of memory/i.test(l))?.trim()
      const how = died ? `the switch process exited (code ${sw.child.exitCode}, signal ${sw.child.signalCode})${reason ? `, its stderr: \`${reason.slice(0, 200)}\`` : ''}` : 'the switch kept running'
      const cause = (error as Error & { cause?: Error }).cause
      const message = `${(error as Error).message}${cause ? ` (${cause.message})` : ''}`
      log(`g2p failed: ${message}; ${how}`)
      sections.push({ id: g2pId, markdown: g2pFailedSection(settings.g2pBeneficiaries, message, how, when(), machineLine(machine, settings)) })
      if (died) await restartSwitch()
      if (died) await waitForAnswer(`${apiUrl}/health`, { healthy: true })
    }
  }
  if (want('fx')) {
    try {
      sections.push({ id: 'fx', markdown: fxSection(await fxPhase(phase, () => checkInvariants(db, pipelineInvariants({ expirySlack_ms: 60_000 }))), when(), machineLine(machine, settings)) })
    } catch (error) {
      log(`fx failed: ${(error as Error).message}`)
      sections.push({ id: 'fx', markdown: fxFailedSection((error as Error).message, when(), machineLine(machine, settings)) })
    }
  }
  // Last: it kills the switch the other phases measured.
  const crash = want('crash') ? await crashPhase(phase, db, { rate: latencyRate, duration_s: Math.max(CRASH_PHASE_S_MIN, settings.phase_s), restart: restartSwitch }) : undefined

  rss.stop()
  const violations = await checkInvariants(db, pipelineInvariants({ expirySlack_ms: 60_000 }))
  const file = path.join(root, 'BENCHMARKS.md')
  if (settings.allPhases && position && capacity && sustained && latency && full && isoBanks && isolation && crash) {
    const outcome: BenchOutcome = {
      settings, targets: TARGETS, machine, position, capacity, sustained, latency, latencyRate, full, isoBanks, isolation, crash, violations, tracesExported: tracesReceived,
      soak: soak && { ...soak, growth: rssGrowth(soak.switchRss) }, rssPeak_mb: rss.peak,
      profileDir: settings.profile ? path.relative(root, profileDir) : undefined, sections,
    }
    const missed = writeBenchmarks(file, outcome)
    log(missed.length ? `targets missed: ${missed.join('; ')}` : 'all targets met')
    exitCode = missed.length ? 1 : 0
  } else {
    const measured = [capacity, sustained, latency, full, isolation?.without, isolation?.with, soak, crash?.phase].filter((p): p is PhaseOutcome => p !== undefined)
    writePartialBenchmarks(file, { settings, machine, phases: measured, position, isoBanks, isolation, crash, latencyRate, latencyRateMeasured, violations, tracesExported: tracesReceived, sections })
    log(`partial run (${settings.phases.join(', ')}): its sections written into BENCHMARKS.md, the rest left as it was; ${violations.length} invariant violations`)
    exitCode = violations.length ? 1 : 0
  }
} finally {
  sw.child.kill('SIGTERM')
  await sw.exited
  if (selfProfile) log(`profile of the load generator: ${await selfProfile.stop(path.join(profileDir, 'bench.cpuprofile'))}`)
  if (settings.profile) log(`profile of the switch: ${nameSwitchProfile(profileDir)}`)
  await db.raw('DROP DATABASE IF EXISTS ??', [database])
  await db.destroy()
  sink.close()
}
process.exit(exitCode)

export type { LoadTestResult }
