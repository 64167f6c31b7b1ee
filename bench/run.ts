// `npm run bench`: the standard benchmark on this machine, everything co-located (MariaDB, Kafka, the
// switch as its own process, the DFSPs and the load generator in this one), durable settings, tracing
// sampled at 1%. Writes BENCHMARKS.md and exits non-zero when a target is missed. BENCH_QUICK=1 runs
// every phase for 10 s instead of 60 s (numbers then only indicate).
import { spawn } from 'node:child_process'
import { createServer } from 'node:http'
import { cpus, totalmem } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadConfig } from '../switch/config.ts'
import { ensureDatabase, openDb } from '../ledger/store/db.ts'
import { checkInvariants } from '../ledger/invariants/ledger-invariants.ts'
import { pipelineInvariants } from '../ledger/invariants/pipeline-invariants.ts'
import { runLoadTest, type LoadTestResult } from '../switch/loadtest/loadtest.ts'
import { measurePositionBatch } from './position-batch.ts'
import { cpuSeconds, pidFromFile, watchRss } from './process-stats.ts'
import { writeBenchmarks, type BenchOutcome } from './write-benchmarks.ts'

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
const quick = process.env.BENCH_QUICK === '1'
const PHASE_S = quick ? 10 : 60
const TARGETS = { transfers_per_s: 1000, full_per_s: 400, p99_ms: 250, position_ops_per_s: 500_000, rss_mb: 300 }
const API_PORT = 3100
const ADMIN_PORT = 3101

const base = loadConfig()
const database = `agora_bench_${Date.now()}`
const env = {
  ...process.env, AGORA_DB_NAME: database, AGORA_KAFKA_TOPIC_PREFIX: `bench${Date.now()}.`, AGORA_HTTP_PORT: String(API_PORT), AGORA_ADMIN_PORT: String(ADMIN_PORT),
  AGORA_LOG_LEVEL: 'warn', AGORA_TRACING: 'true', AGORA_TRACING_SAMPLE_RATIO: '0.01', AGORA_KAFKA_PARTITIONS: '4', AGORA_MANAGE_DEPS: '0',
}

// A trace sink, so 1% tracing does its real work (export over OTLP/HTTP) without an outside collector.
let spansReceived = 0
const sink = createServer((req, res) => { req.on('data', () => {}); req.on('end', () => { spansReceived++; res.writeHead(200).end('{}') }) })
await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r))
env.OTEL_EXPORTER_OTLP_ENDPOINT = `http://127.0.0.1:${(sink.address() as { port: number }).port}`

await ensureDatabase({ ...base.db, database })
const db = openDb({ ...base.db, database })
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`)

log(`starting the switch (database ${database})`)
const switchProcess = spawn(process.execPath, ['--import', 'tsx', '--import', './switch/observability/tracing-preload.ts', 'switch/main.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] })
switchProcess.stdout.on('data', () => {})
await waitForHealth(`http://127.0.0.1:${API_PORT}/health`)
const home = process.env.AGORA_HOME ?? path.join(process.env.HOME ?? '/root', '.cache', 'agora')
const rss = watchRss({ switch: switchProcess.pid, bench: process.pid, mariadb: pidFromFile(path.join(home, 'mariadb', 'mariadb.pid')), kafka: pidFromFile(path.join(home, 'kafka', 'kafka.pid')) })

const apiUrl = `http://127.0.0.1:${API_PORT}`
const adminUrl = `http://127.0.0.1:${ADMIN_PORT}`
/** Each phase starts after the switch has worked off the previous one (callbacks, Kafka lag). */
const PAUSE_BETWEEN_PHASES_MS = 5_000
const load = async (o: Partial<Parameters<typeof runLoadTest>[0]>) => {
  await new Promise((r) => setTimeout(r, PAUSE_BETWEEN_PHASES_MS))
  const { result } = await runLoadTest({ apiUrl, adminUrl, dfsps: 4, duration_s: PHASE_S, flow: 'transfer', skew: 0.7, progress: (l) => process.stderr.write(`\r[bench] ${l}   `), ...o })
  process.stderr.write('\n')
  return result
}

try {
  log('position batch, in process')
  const position = measurePositionBatch()

  log(`warm-up, then capacity: closed loop, 256 payments in flight, ${PHASE_S} s`)
  await load({ concurrency: 64, duration_s: 5 })
  const capacity = await load({ concurrency: 256 })

  log(`transfer only at the target ${TARGETS.transfers_per_s}/s for ${PHASE_S} s`)
  const cpuBefore = cpuSeconds(switchProcess.pid!)
  const rssStart = rss.series.switch?.at(-1) ?? 0
  const sustained = await load({ rate: TARGETS.transfers_per_s })
  const cpuPerTransfer_ms = ((cpuSeconds(switchProcess.pid!) - cpuBefore) * 1000) / Math.max(1, sustained.completed)
  const rssEnd = rss.series.switch?.at(-1) ?? 0

  const max = Math.max(capacity.throughput_per_s, sustained.errors === 0 ? sustained.throughput_per_s : 0)
  const latencyRate = Math.max(1, Math.floor(max * 0.7))
  log(`latency at 70% of the maximum (${latencyRate}/s) for ${PHASE_S} s`)
  const latency = await load({ rate: latencyRate })

  log(`lookup + quote + transfer at ${TARGETS.full_per_s}/s for ${PHASE_S} s`)
  const full = await load({ rate: TARGETS.full_per_s, flow: 'full' })

  rss.stop()
  const violations = await checkInvariants(db, pipelineInvariants({ expirySlack_ms: 60_000 }))
  const outcome: BenchOutcome = {
    quick, phase_s: PHASE_S, targets: TARGETS, position, capacity, sustained, latency, latencyRate, full, cpuPerTransfer_ms,
    rssPeak_mb: rss.peak, rssGrowth_mb: rssEnd - rssStart, violations, spansExported: spansReceived,
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memory_gb: Math.round(totalmem() / 2 ** 30), node: process.version },
  }
  const missed = writeBenchmarks(path.join(root, 'BENCHMARKS.md'), outcome)
  log(missed.length ? `targets missed: ${missed.join('; ')}` : 'all targets met')
  process.exitCode = missed.length ? 1 : 0
} finally {
  switchProcess.kill('SIGTERM')
  await new Promise((r) => switchProcess.once('exit', r))
  await db.raw('DROP DATABASE IF EXISTS ??', [database])
  await db.destroy()
  sink.close()
}

async function waitForHealth(url: string): Promise<void> {
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(url)).ok) return
    } catch {}
    await new Promise((r) => setTimeout(r, 500))
  }
  throw new Error(`the switch did not become healthy at ${url}`)
}

export type { LoadTestResult }
