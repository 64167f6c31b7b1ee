// The switch as its own process (`switch/main.ts`, development mode) on a database the test onboarded
// first, for tests that kill it, restart it or cut it off from its dependencies.
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import path from 'node:path'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

export interface SwitchProcess {
  apiUrl: string
  adminUrl: string
  /** stdout and stderr so far (JSON log lines and the start banner). */
  output(): string
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>
  kill(signal: NodeJS.Signals): void
}

/** `env` on top of the test's own: AGORA_DB_NAME, AGORA_KAFKA_TOPIC_PREFIX and the like. */
export function spawnSwitch(port: number, env: Record<string, string>): SwitchProcess {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'switch/main.ts'], {
    cwd: root, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, AGORA_ENV: 'development', AGORA_HTTP_PORT: String(port), AGORA_ADMIN_PORT: String(port + 1), AGORA_LOG_LEVEL: 'info', ...env },
  })
  let output = ''
  child.stdout!.on('data', (d) => (output += d))
  child.stderr!.on('data', (d) => (output += d))
  return {
    apiUrl: `http://127.0.0.1:${port}`,
    adminUrl: `http://127.0.0.1:${port + 1}`,
    output: () => output,
    exited: new Promise((resolve) => child.once('exit', resolve)),
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
