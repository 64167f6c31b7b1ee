// The switch as separate processes per role (AGORA_ROLES), as a scaled-out deployment runs it: each its own
// switch/main.ts on one database and one set of topics, its output in a log file of its own (kept for a
// failed run) and, for the checks, in memory.
import { appendFileSync } from 'node:fs'
import path from 'node:path'
import { logLines, spawnSwitch, type SpawnedSwitch } from '../support/switch-process.ts'

const HEALTHY_MS_MAX = 120_000

export interface RoleProcess {
  name: string
  roles: string
  url: string
  /** The admin API, where the roles include admin. */
  adminUrl: string
  /** The JSON log lines with this msg, so far. */
  logged(msg: string): unknown[]
  /** Resolves once /health answers with every service OK. */
  healthy(): Promise<void>
  kill(signal: NodeJS.Signals): Promise<void>
  running(): boolean
}

export function startRoleProcess(opts: { name: string; roles: string; port: number; env: Record<string, string>; logDir: string; logLevel?: string }): RoleProcess {
  const logFile = path.join(opts.logDir, `${opts.name}.log`)
  let output = ''
  const child: SpawnedSwitch = spawnSwitch(opts.port, {
    ...opts.env, AGORA_ROLES: opts.roles, AGORA_KAFKA_CLIENT_ID: `agora-${opts.name}`, AGORA_LOG_LEVEL: opts.logLevel ?? 'warn',
  }, (d) => {
    output += d.toString()
    appendFileSync(logFile, d)
  })
  return {
    name: opts.name, roles: opts.roles, url: child.apiUrl, adminUrl: child.adminUrl,
    logged: (msg) => logLines(output, msg),
    async healthy() {
      const deadline = Date.now() + HEALTHY_MS_MAX
      while (Date.now() < deadline && child.running()) {
        try {
          const r = await fetch(`${child.apiUrl}/health`, { signal: AbortSignal.timeout(2_000) })
          const body = (await r.json()) as { services?: { status: string }[] }
          if (r.ok && (body.services ?? []).every((s) => s.status === 'OK')) return
        } catch {}
        await new Promise((r) => setTimeout(r, 250))
      }
      throw new Error(`${opts.name} (${opts.roles}) did not become healthy (see ${logFile})`)
    },
    async kill(signal) {
      if (!child.running()) return
      const force = signal === 'SIGKILL' ? undefined : setTimeout(() => child.kill('SIGKILL'), 15_000)
      child.kill(signal)
      await child.exited
      clearTimeout(force)
    },
    running: () => child.running(),
  }
}
