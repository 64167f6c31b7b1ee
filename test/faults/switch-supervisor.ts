// The switch under test as its own process (switch/main.ts, as an operator runs it), kept running the way
// Kubernetes would: whenever it dies it is started again. A start can be armed with a crash point
// (AGORA_CRASH_POINT, switch/config/config.ts), so the process SIGKILLs itself at an exact place in the pipeline.
import { spawn, type ChildProcess } from 'node:child_process'
import { appendFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { CrashPointName } from '../../switch/config/config.ts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const HEALTHY_MS_MAX = 120_000
const RESTART_PAUSE_MS = 200

export interface Crash {
  point: CrashPointName
  countdown: number
}

export interface SwitchEvent {
  at: number
  what: 'started' | 'healthy' | 'exited'
  crash?: Crash
  signal?: string | null
  code?: number | null
}

export interface SwitchSupervisor {
  apiUrl: string
  adminUrl: string
  events: SwitchEvent[]
  /** Resolves once a process answers /health (Kafka and the database reachable). */
  healthy(): Promise<void>
  /** The next starts are armed with these crash points, one each, in order. */
  arm(...crashes: Crash[]): void
  /** SIGKILL the running process (it is started again). */
  kill(): void
  /** Resolves at the next exit of a process, or rejects after `timeout_ms`. */
  nextExit(timeout_ms: number): Promise<SwitchEvent>
  /** Stops supervising and ends the process (SIGTERM). */
  stop(): Promise<void>
}

export function superviseSwitch(opts: { env: Record<string, string>; logFile: string }): SwitchSupervisor {
  const port = 20_000 + Math.floor(Math.random() * 20_000)
  const apiUrl = `http://127.0.0.1:${port}`
  const events: SwitchEvent[] = []
  const armed: Crash[] = []
  const exitWaiters: ((e: SwitchEvent) => void)[] = []
  let child: ChildProcess | undefined
  let stopping = false

  function start(): void {
    const crash = armed.shift()
    const env = {
      ...process.env, ...opts.env, AGORA_ENV: 'development', AGORA_HTTP_PORT: String(port), AGORA_ADMIN_PORT: String(port + 1), AGORA_LOG_LEVEL: 'warn',
      ...(crash ? { AGORA_CRASH_POINT: crash.point, AGORA_CRASH_POINT_COUNTDOWN: String(crash.countdown) } : { AGORA_CRASH_POINT: '' }),
    }
    const c = spawn(process.execPath, ['--import', 'tsx', 'switch/main.ts'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env })
    child = c
    events.push({ at: Date.now(), what: 'started', crash })
    appendFileSync(opts.logFile, `\n=== switch started ${new Date().toISOString()} ${crash ? `armed ${crash.point} x${crash.countdown}` : ''}\n`)
    c.stdout!.on('data', (d) => appendFileSync(opts.logFile, d))
    c.stderr!.on('data', (d) => appendFileSync(opts.logFile, d))
    c.once('exit', (code, signal) => {
      const event: SwitchEvent = { at: Date.now(), what: 'exited', crash, code, signal }
      events.push(event)
      appendFileSync(opts.logFile, `=== switch exited code ${code} signal ${signal}\n`)
      if (child === c) child = undefined
      for (const w of exitWaiters.splice(0)) w(event)
      if (!stopping) setTimeout(() => { if (!stopping && !child) start() }, RESTART_PAUSE_MS)
    })
  }
  start()

  return {
    apiUrl, adminUrl: `http://127.0.0.1:${port + 1}`, events,
    async healthy() {
      const deadline = Date.now() + HEALTHY_MS_MAX
      while (Date.now() < deadline) {
        try {
          if ((await fetch(`${apiUrl}/health`, { signal: AbortSignal.timeout(2_000) })).ok) {
            events.push({ at: Date.now(), what: 'healthy' })
            return
          }
        } catch {}
        await new Promise((r) => setTimeout(r, 250))
      }
      throw new Error(`the switch did not become healthy within ${HEALTHY_MS_MAX} ms (see ${opts.logFile})`)
    },
    arm(...crashes) { armed.push(...crashes) },
    kill() { child?.kill('SIGKILL') },
    nextExit(timeout_ms) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the switch did not exit within ${timeout_ms} ms`)), timeout_ms)
        exitWaiters.push((e) => { clearTimeout(timer); resolve(e) })
      })
    },
    async stop() {
      stopping = true
      const c = child
      if (!c) return
      const exited = new Promise((r) => c.once('exit', r))
      c.kill('SIGTERM')
      const force = setTimeout(() => c.kill('SIGKILL'), 15_000)
      await exited
      clearTimeout(force)
    },
  }
}
