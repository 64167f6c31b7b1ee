// The ISO 20022 bank phase alone, on a switch of its own (started as bench/run.ts starts it):
//   node --import tsx bench/iso-bank-bench.ts        (BENCH_PHASE_S seconds, 10 by default)
// Prints the phase's BENCHMARKS.md section; `npm run bench` runs the same phase among the others.
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadConfig } from '../switch/config/config.ts'
import { ensureDatabase, openDb } from '../ledger/store/db.ts'
import { spawnSwitch, waitForAnswer } from './switch-process.ts'
import { isoBankPhase, isoBankSection } from './iso-bank-phase.ts'

const ALONE_PHASE_S_DEFAULT = 10
const API_PORT = 3110
const ADMIN_PORT = 3111
const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
const base = loadConfig()
const database = `agora_isobench_${Date.now()}`
const env = {
  ...process.env, AGORA_ENV: 'development', AGORA_DB_NAME: database, AGORA_KAFKA_TOPIC_PREFIX: `isobench${Date.now()}.`, AGORA_HTTP_PORT: String(API_PORT),
  AGORA_ADMIN_PORT: String(ADMIN_PORT), AGORA_LOG_LEVEL: 'warn', AGORA_MANAGE_DEPS: '0',
}
const log = (line: string) => process.stderr.write(`[iso-bench] ${line}\n`)

mkdirSync(path.join(root, 'reports'), { recursive: true })
await ensureDatabase({ ...base.db, database })
const db = openDb({ ...base.db, database })
const sw = spawnSwitch({ cwd: root, env, nodeFlags: [], logFile: path.join(root, 'reports', `iso-bench-switch-${Date.now()}.log`) })
try {
  await waitForAnswer(`http://127.0.0.1:${API_PORT}/health`, { healthy: true })
  const outcome = await isoBankPhase({
    root, apiUrl: `http://127.0.0.1:${API_PORT}`, adminUrl: `http://127.0.0.1:${ADMIN_PORT}`, hubName: base.hubName,
    duration_s: Number(process.env.BENCH_PHASE_S ?? ALONE_PHASE_S_DEFAULT), log,
  })
  console.log(isoBankSection(outcome))
} finally {
  sw.child.kill('SIGTERM')
  await sw.exited
  await db.raw('DROP DATABASE IF EXISTS ??', [database])
  await db.destroy()
}
