// ISO 20022 bank → ISO 20022 bank through two connectors, each its own process (`agora connector
// iso20022`), their cores simulated in this one: `concurrency` payments in flight, each a pacs.008 POSTed
// to the payer's connector and answered with its pacs.002 once the switch committed it. Reports the
// throughput (completions over the time they took) and each connector's CPU time per payment.
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { AdminClient } from '../switch/admin-client/admin-client.ts'
import { demoSetup } from '../switch/admin-client/demo-setup.ts'
import { endpointTemplates } from '../switch/admin/endpoint-templates.ts'
import { DFSP_FUNDS } from '../switch/loadtest/loadtest.ts'
import { loadConfig } from '../switch/config/config.ts'
import { openDb } from '../ledger/store/db.ts'
import { IsoBankCore } from '../adapters/iso20022-bank/simulated-bank-core.ts'
import { cpuSeconds } from './process-stats.ts'

export const ISO_PHASE_CONCURRENCY = 32
export const CONNECTOR_START_MS = 60_000
const POLL_MS = 100

export interface IsoBankOutcome {
  concurrency: number
  completed: number
  rejected: number
  elapsed_s: number
  throughput_per_s: number
  p50_ms: number
  p99_ms: number
  /** CPU milliseconds per completed payment of each connector process. */
  cpu_ms: { payerConnector: number; payeeConnector: number }
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as { port: number }).port
  await new Promise((r) => server.close(r))
  return port
}

/** One connector process; answers it with its ISO API URL once it printed it. */
async function spawnConnector(root: string, configFile: string): Promise<{ child: ChildProcess; apiUrl: string }> {
  const child = spawn(process.execPath, [path.join(root, 'bin/agora.mjs'), 'connector', 'iso20022', '--config', configFile], { cwd: root, env: process.env, stdio: ['ignore', 'pipe', 'inherit'] })
  let out = ''
  child.stdout!.on('data', (d) => { out += String(d) })
  const deadline = Date.now() + CONNECTOR_START_MS
  for (;;) {
    const url = /ISO 20022 messages at (http:\/\/[^\s,]+)/.exec(out)?.[1]
    if (url) return { child, apiUrl: url }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`the ISO connector did not start: ${out}`)
    }
    await new Promise((r) => setTimeout(r, POLL_MS))
  }
}

const percentile = (sorted: number[], p: number) => (sorted.length ? Math.round(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!) : 0)

export async function isoBankPhase(o: { root: string; apiUrl: string; adminUrl: string; hubName: string; duration_s: number; concurrency?: number; log?: (line: string) => void }): Promise<IsoBankOutcome> {
  const concurrency = o.concurrency ?? ISO_PHASE_CONCURRENCY
  const id = randomBytes(3).toString('hex')
  const names = [`bi${id}a`, `bi${id}b`] as const
  const customers = [`${id}0001`, `${id}0002`]
  const cores = names.map((name, i) => new IsoBankCore(name, [{ idType: 'MSISDN', idValue: customers[i]!, name: `Customer ${i}`, balance: '1000000000' }]))
  for (const core of cores) await core.start()
  const admin = new AdminClient(o.adminUrl, 'bench')
  await demoSetup(admin, { currency: 'USD', ndc: DFSP_FUNDS, funds: DFSP_FUNDS, hub: o.hubName, dfspUrl: 'http://127.0.0.1:9', names: [...names] })
  const dir = mkdtempSync(path.join(tmpdir(), 'agora-iso-bench-'))
  const databases = names.map((n) => `agora_connector_${n}`)
  const connectors: { child: ChildProcess; apiUrl: string }[] = []
  try {
    for (const [i, name] of names.entries()) {
      const fspiopPort = await freePort()
      const file = path.join(dir, `${name}.yaml`)
      writeFileSync(file, [
        `fspId: ${name}`, `switchUrl: ${o.apiUrl}`, 'fspiopVersion: "1.1"', `fspiop: { host: 127.0.0.1, port: ${fspiopPort} }`, 'api: { host: 127.0.0.1, port: 0 }',
        `coreUrl: ${cores[i]!.url}`, 'notifyTo: core', `ilpSecret: ${randomBytes(16).toString('hex')}`, `db: { database: ${databases[i]} }`, 'logLevel: warn',
      ].join('\n'))
      connectors.push(await spawnConnector(o.root, file))
      for (const [type, value] of Object.entries(endpointTemplates(`http://127.0.0.1:${fspiopPort}`))) await admin.request('POST', `/participants/${name}/endpoints`, { type, value })
      const registered = await fetch(`${connectors[i]!.apiUrl}/parties/MSISDN/${customers[i]}`, { method: 'POST' })
      if (!registered.ok) throw new Error(`registering ${customers[i]} at ${name}: ${registered.status} ${await registered.text()}`)
    }
    o.log?.(`ISO bank → ISO bank: ${concurrency} in flight, ${o.duration_s} s`)
    const pids = connectors.map((c) => c.child.pid!)
    const cpuBefore = pids.map(cpuSeconds)
    const started = performance.now()
    const end = started + o.duration_s * 1000
    let completed = 0
    let rejected = 0
    let last = started
    const latencies: number[] = []
    await Promise.all(Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const sent = performance.now()
        const t = cores[0]!.creditTransfer({ msgId: `B${randomUUID().replace(/-/g, '').slice(0, 30)}`, uetr: randomUUID(), from: customers[0]!, to: customers[1]!, amount: '1.00' })
        const answer = await cores[0]!.pay(connectors[0]!.apiUrl, t).catch(() => undefined)
        const answered = performance.now()
        // Throughput is completions between the first request (`started`: every worker sends at once) and the last completion.
        if (answer?.status === 'ACSC') { completed++; last = answered; latencies.push(answered - sent) } else rejected++
      }
    }))
    const cpuAfter = pids.map(cpuSeconds)
    const elapsed_s = (last - started) / 1000
    const perPayment = (i: number) => Math.round((((cpuAfter[i]! - cpuBefore[i]!) * 1000) / Math.max(1, completed)) * 100) / 100
    latencies.sort((x, y) => x - y)
    return {
      concurrency, completed, rejected, elapsed_s: Math.round(elapsed_s * 10) / 10, throughput_per_s: Math.round((completed / Math.max(elapsed_s, 0.001)) * 10) / 10,
      p50_ms: percentile(latencies, 0.5), p99_ms: percentile(latencies, 0.99), cpu_ms: { payerConnector: perPayment(0), payeeConnector: perPayment(1) },
    }
  } finally {
    for (const c of connectors) {
      c.child.kill('SIGTERM')
      await new Promise((r) => (c.child.exitCode !== null ? r(undefined) : c.child.once('exit', r)))
    }
    for (const core of cores) await core.close()
    const db = openDb({ ...loadConfig().db, database: '' })
    for (const name of databases) await db.raw('DROP DATABASE IF EXISTS ??', [name])
    await db.destroy()
  }
}

/** The phase's lines for BENCHMARKS.md. */
export function isoBankSection(r: IsoBankOutcome): string {
  return `## ISO 20022 bank → ISO 20022 bank (two connectors)

pacs.008 POSTed to the payer bank's connector, answered with pacs.002 ACSC once the switch committed the
transfer (lookup, quote and transfer over FSPIOP; pacs.008 to the payee bank's core and camt.054 to both),
${r.concurrency} in flight, each connector its own process (\`bench/iso-bank-phase.ts\`).

| completed | rejected | throughput (completions / their time) | latency p50 / p99 (ms) | CPU ms per payment: payer connector / payee connector |
|---|---|---|---|---|
| ${r.completed} | ${r.rejected} | ${r.throughput_per_s}/s over ${r.elapsed_s} s | ${r.p50_ms} / ${r.p99_ms} | ${r.cpu_ms.payerConnector.toFixed(2)} / ${r.cpu_ms.payeeConnector.toFixed(2)} |
`
}
