// The switch as the benchmark runs it: its own process, started as `npm start` starts it, its log in a file.
import { spawn, type ChildProcess } from 'node:child_process'
import { createWriteStream } from 'node:fs'
import { createServer } from 'node:net'

/** The heap bounds `npm start` and the Containerfile give the switch (docs/performance.md: Memory). */
export const SWITCH_OLD_SPACE_MB = 256
export const SWITCH_HEAP_FLAGS = [`--max-old-space-size=${SWITCH_OLD_SPACE_MB}`, '--max-semi-space-size=8']
export const SWITCH_START_TIMEOUT_MS = 60_000
/** How often a restarted switch's port is asked whether it answers. */
export const PORT_POLL_MS = 10

/** How much of the end of the switch's stderr is kept (an abort's reason, e.g. V8's out-of-memory line). */
export const STDERR_TAIL_CHARS = 4_000

export interface SwitchProcess {
  child: ChildProcess
  exited: Promise<unknown>
  /** The last STDERR_TAIL_CHARS of its stderr (which also goes to this process's stderr). */
  stderrTail(): string
}

/** `oldSpaceMb`: another heap bound than `npm start`'s (BENCH_SWITCH_HEAP_MB), stated next to the numbers it gave. */
export function spawnSwitch(o: { cwd: string; env: NodeJS.ProcessEnv; nodeFlags: string[]; logFile: string; oldSpaceMb?: number }): SwitchProcess {
  const heap = o.oldSpaceMb === undefined ? SWITCH_HEAP_FLAGS : [`--max-old-space-size=${o.oldSpaceMb}`, SWITCH_HEAP_FLAGS[1]!]
  const child = spawn(process.execPath, [...o.nodeFlags, ...heap, '--import', 'tsx', '--import', './switch/observability/tracing-preload.ts', 'switch/main.ts'], { cwd: o.cwd, env: o.env, stdio: ['ignore', 'pipe', 'pipe'] })
  child.stdout!.pipe(createWriteStream(o.logFile, { flags: 'a' }))
  let tail = ''
  child.stderr!.on('data', (d: Buffer) => {
    process.stderr.write(d)
    tail = (tail + d.toString()).slice(-STDERR_TAIL_CHARS)
  })
  return { child, exited: new Promise((r) => child.once('exit', r)), stderrTail: () => tail }
}

/**
 * Throws when something else already listens on the port (another benchmark on this machine: the ports are
 * fixed, and a switch that cannot listen leaves the load test talking to the other run's switch).
 */
export async function ensurePortFree(port: number, host = '127.0.0.1'): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe = createServer()
    probe.once('error', (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? new Error(`port ${port} is in use: is another benchmark running on this machine?`) : error))
    probe.listen(port, host, () => probe.close(() => resolve()))
  })
}

/** Waits until the URL answers 2xx (`healthy`) or answers at all; returns when (performance.now()). */
export async function waitForAnswer(url: string, opts: { healthy: boolean; poll_ms?: number }): Promise<number> {
  const deadline = performance.now() + SWITCH_START_TIMEOUT_MS
  while (performance.now() < deadline) {
    try {
      const response = await fetch(url)
      await response.arrayBuffer()
      if (!opts.healthy || response.ok) return performance.now()
    } catch {}
    await new Promise((r) => setTimeout(r, opts.poll_ms ?? 500))
  }
  throw new Error(`the switch did not ${opts.healthy ? 'become healthy' : 'answer'} at ${url}`)
}
