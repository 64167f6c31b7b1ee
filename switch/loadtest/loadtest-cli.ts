// `agora loadtest`: runs a load test against a running switch and writes a JSON result and an HTML report.
import { parseArgs } from 'node:util'
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { loadConfig } from '../config/config.ts'
import { openDb } from '../../ledger/store/db.ts'
import { checkInvariants } from '../../ledger/invariants/ledger-invariants.ts'
import { pipelineInvariants } from '../invariants/pipeline-invariants.ts'
import { runLoadTest, type LoadTestOptions } from './loadtest.ts'
import { htmlReport } from './html-report.ts'

export const LOADTEST_USAGE = `loadtest [--dfsps 4] [--rate 500 | --concurrency 50] [--duration 60] [--count N] [--skew 0.7]
                [--flow transfer|full|fx|fx-full] [--customers 100] [--currency USD] [--target-currency TZS] [--fx-rate 2500]
                [--api URL] [--admin URL] [--out DIR]`

export async function loadtestCommand(argv: string[]): Promise<void> {
  const { values: f } = parseArgs({
    args: argv, strict: true,
    options: Object.fromEntries(['dfsps', 'rate', 'concurrency', 'duration', 'count', 'skew', 'flow', 'api', 'admin', 'out', 'currency', 'customers', 'target-currency', 'fx-rate'].map((n) => [n, { type: 'string' as const }])),
  })
  const config = loadConfig()
  const num = (v: unknown) => (v === undefined ? undefined : Number(v))
  const options: LoadTestOptions = {
    apiUrl: (f.api as string) ?? `http://${config.http.host}:${config.http.port}`,
    adminUrl: (f.admin as string) ?? `http://${config.http.host}:${config.http.adminPort}`,
    dfsps: num(f.dfsps) ?? 4, rate: num(f.rate), concurrency: num(f.concurrency) ?? (f.rate ? undefined : 20),
    duration_s: num(f.duration) ?? 60, count: num(f.count), skew: num(f.skew), flow: flowOf(f.flow as string | undefined),
    currency: (f.currency as string) ?? 'USD', targetCurrency: f['target-currency'] as string | undefined, fxRate: f['fx-rate'] as string | undefined, hubName: config.hubName, customers: num(f.customers), progress: (line) => process.stderr.write(`\r${line}   `),
  }
  const db = openDb(config.db)
  try {
    const { result, latencies } = await runLoadTest({ ...options, checkInvariants: () => checkInvariants(db, pipelineInvariants({ expirySlack_ms: 60_000 })) })
    process.stderr.write('\n')
    const out = (f.out as string) ?? path.join('reports', `loadtest-${result.startedAt.replace(/[:.]/g, '-')}`)
    await mkdir(out, { recursive: true })
    await writeFile(path.join(out, 'result.json'), JSON.stringify(result, null, 2))
    await writeFile(path.join(out, 'report.html'), htmlReport(result, latencies))
    console.log(JSON.stringify({ ...result, perSecond: undefined, report: path.join(out, 'report.html') }, null, 2))
    if (result.errors > 0 || result.invariantViolations.length > 0 || result.booksMismatches.length > 0) process.exitCode = 1
  } finally {
    await db.destroy()
  }
}

const FLOWS = ['transfer', 'full', 'fx', 'fx-full'] as const

function flowOf(value: string | undefined): LoadTestOptions['flow'] {
  if (value === undefined) return 'transfer'
  if (!(FLOWS as readonly string[]).includes(value)) throw new Error(`--flow ${value}: one of ${FLOWS.join(', ')}`)
  return value as LoadTestOptions['flow']
}
