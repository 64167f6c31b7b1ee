// The switch as its own process (switch/main.ts, development mode), on the real MariaDB (a database of its
// own) and Kafka (topics of its own), for tests that kill it, restart it or cut it off from its dependencies.
// Only this process is killed: the shared MariaDB and Kafka run on.
// - spawnSwitch: one process on a database the test onboarded first, with the env the test gives;
// - switchProcess: a managed one that can be started again on the same database, topics and ports, with
//   the admin API reached over HTTP in the shape the fixtures call (inject), so setupHub and onboardDfsp
//   work on it as on an in-process switch.
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import { loadConfig } from '../../switch/config.ts'
import { openDb, type Db } from '../../ledger/store/db.ts'
import { createSwitchTopics } from './kafka.ts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

export interface SpawnedSwitch {
  apiUrl: string
  adminUrl: string
  /** stdout and stderr so far (JSON log lines and the start banner). */
  output(): string
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>
  running(): boolean
  kill(signal: NodeJS.Signals): void
}

/** `env` on top of the test's own: AGORA_DB_NAME, AGORA_KAFKA_TOPIC_PREFIX and the like. `keep`: where its
 *  output goes instead of `output()` (which is then empty). */
export function spawnSwitch(port: number, env: Record<string, string>, keep?: (chunk: Buffer) => void): SpawnedSwitch {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'switch/main.ts'], {
    cwd: root, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, AGORA_ENV: 'development', AGORA_HTTP_PORT: String(port), AGORA_ADMIN_PORT: String(port + 1), AGORA_LOG_LEVEL: 'info', ...env },
  })
  let output = ''
  const sink = keep ?? ((d: Buffer) => { output += d })
  child.stdout!.on('data', sink)
  child.stderr!.on('data', sink)
  return {
    apiUrl: `http://127.0.0.1:${port}`,
    adminUrl: `http://127.0.0.1:${port + 1}`,
    output: () => output,
    exited: new Promise((resolve) => child.once('exit', resolve)),
    running: () => child.exitCode === null && child.signalCode === null,
    kill: (signal) => { child.kill(signal) },
  }
}

/** A port pair (API, admin) unlikely to be taken. */
export function randomPort(): number {
  return 20_000 + Math.floor(Math.random() * 20_000)
}

/** GETs `url` every `every_ms` until it answers `status` (any HTTP answer when undefined); the time it took. */
export async function waitForAnswer(url: string, opts: { status?: number; timeout_ms?: number; every_ms?: number } = {}): Promise<{ status: number; body: any; elapsed_ms: number }> {
  const started = performance.now()
  const deadline = started + (opts.timeout_ms ?? 60_000)
  for (;;) {
    try {
      const response = await fetch(url)
      const text = await response.text()
      if (opts.status === undefined || response.status === opts.status) {
        return { status: response.status, body: text ? JSON.parse(text) : undefined, elapsed_ms: performance.now() - started }
      }
    } catch {}
    if (performance.now() > deadline) throw new Error(`${url}: no ${opts.status ?? 'HTTP'} answer within ${opts.timeout_ms ?? 60_000} ms`)
    await new Promise((resolve) => setTimeout(resolve, opts.every_ms ?? 50))
  }
}

/** The JSON log lines with this msg. */
export function logLines(output: string, msg: string): any[] {
  return output.split('\n').filter((l) => l.startsWith('{') && l.includes(msg)).map((l) => JSON.parse(l)).filter((l) => l.msg === msg)
}

/** From spawn to both faces healthy: migrations, Kafka topics and consumer groups included. */
export const START_TIMEOUT_MS = 90_000
const HEALTH_POLL_MS = 250
const OUTPUT_KEPT_CHARS_MAX = 200_000

export interface SwitchProcess {
  apiUrl: string
  adminUrl: string
  /** The admin API over HTTP, for test/support/fixtures.ts `call`, setupHub and onboardDfsp. */
  admin: FastifyInstance
  /** The switch's database, for reconciliation and the invariant checks. */
  db: Db
  /** Starts the process (again) and waits until both faces answer /health with every service OK. */
  start(): Promise<void>
  /** SIGKILL: no shutdown, whatever was in flight is where it was. */
  kill(): Promise<void>
  /** SIGTERM (SIGKILL if needed), then drops the database. */
  stop(): Promise<void>
  output(): string
}

export function switchProcess(label: string): SwitchProcess {
  const database = `agora_${label.replace(/\W/g, '_').slice(0, 20)}_${randomBytes(4).toString('hex')}`
  const port = randomPort()
  const apiUrl = `http://127.0.0.1:${port}`
  const adminUrl = `http://127.0.0.1:${port + 1}`
  const env = { AGORA_DB_NAME: database, AGORA_KAFKA_TOPIC_PREFIX: `t${database}.`, AGORA_KAFKA_PARTITIONS: '2', AGORA_LOG_LEVEL: 'warn' }
  const db = openDb({ ...loadConfig().db, database })
  let child: SpawnedSwitch | undefined
  let output = ''
  const keep = (d: Buffer) => { output = (output + d.toString()).slice(-OUTPUT_KEPT_CHARS_MAX) }

  async function healthy(url: string): Promise<boolean> {
    try {
      const r = await fetch(`${url}/health`)
      if (!r.ok) return false
      const body = (await r.json()) as { services?: { status: string }[] }
      return (body.services ?? []).every((s) => s.status === 'OK')
    } catch {
      return false
    }
  }

  async function killWith(signal: NodeJS.Signals): Promise<void> {
    if (!child?.running()) return
    child.kill(signal)
    await child.exited
  }

  return {
    apiUrl, adminUrl, db,
    admin: httpAdmin(adminUrl),
    async start() {
      output += `\n--- start ${new Date().toISOString()}\n`
      await createSwitchTopics(env)
      const started = spawnSwitch(port, env, keep)
      child = started
      const deadline = Date.now() + START_TIMEOUT_MS
      while (Date.now() < deadline && started.running()) {
        if ((await healthy(apiUrl)) && (await healthy(adminUrl))) return
        await new Promise((r) => setTimeout(r, HEALTH_POLL_MS))
      }
      throw new Error(`the switch process did not become healthy; output:\n${output.slice(-5_000)}`)
    },
    kill: () => killWith('SIGKILL'),
    async stop() {
      const graceful = killWith('SIGTERM')
      const timer = setTimeout(() => child?.kill('SIGKILL'), 15_000)
      await graceful
      clearTimeout(timer)
      await db.raw('DROP DATABASE IF EXISTS ??', [database])
      await db.destroy()
    },
    output: () => output,
  }
}

/** An admin API over HTTP with fastify's inject shape, as much of it as the fixtures use. */
function httpAdmin(adminUrl: string): FastifyInstance {
  const inject = async (opts: { method: string; url: string; payload?: unknown; headers?: Record<string, string> }) => {
    const response = await fetch(`${adminUrl}${opts.url}`, {
      method: opts.method,
      headers: { ...opts.headers, ...(opts.payload === undefined ? {} : { 'content-type': 'application/json' }) },
      body: opts.payload === undefined ? undefined : JSON.stringify(opts.payload),
    })
    const body = await response.text()
    return { statusCode: response.status, body, json: () => JSON.parse(body) }
  }
  return { inject } as unknown as FastifyInstance
}
