// `agora disbursements …`: the operator's view through the admin API. On a terminal, `status` redraws a
// progress bar until the disbursement is COMPLETED; piped, it prints the JSON once.
import { parseArgs } from 'node:util'
import { adminClientFrom, type AdminClient } from '../admin-client/admin-client.ts'

export const DISBURSEMENTS_USAGE = `disbursements list [--payer NAME]          the latest disbursements with progress
  disbursements status ID [--once]            progress (a live bar on a terminal until COMPLETED)`

export const STATUS_POLL_MS = 1_000
const BAR_CHARS = 30

interface Status { disbursementId: string; state: string; total: number; paid: number; failed: number; unresolved: number; pending: number; amounts: { paid: string; total: string } }

export function progressLine(s: Status): string {
  const done = s.total === 0 ? 1 : (s.paid + s.failed + s.unresolved) / s.total
  const filled = Math.round(done * BAR_CHARS)
  return `${s.disbursementId} ${s.state.padEnd(9)} [${'#'.repeat(filled)}${'-'.repeat(BAR_CHARS - filled)}] ${(done * 100).toFixed(1)}%  paid ${s.paid} failed ${s.failed} unresolved ${s.unresolved} pending ${s.pending} of ${s.total}  (${s.amounts.paid} of ${s.amounts.total})`
}

export async function disbursementsCommand(argv: string[]): Promise<void> {
  const { values: f, positionals } = parseArgs({
    args: argv, allowPositionals: true, strict: false,
    options: { admin: { type: 'string' }, operator: { type: 'string' }, token: { type: 'string' }, cert: { type: 'string' }, key: { type: 'string' }, ca: { type: 'string' }, payer: { type: 'string' }, once: { type: 'boolean' } },
  })
  const client = adminClientFrom(f, f)
  const [sub, id] = positionals
  if (sub === 'list') {
    console.log(JSON.stringify(await client.request('GET', `/disbursements${f.payer ? `?payer=${encodeURIComponent(String(f.payer))}` : ''}`), null, 2))
    return
  }
  if (sub === 'status' && id) return status(client, id, Boolean(f.once) || !process.stdout.isTTY)
  throw new Error(`usage: agora ${DISBURSEMENTS_USAGE}`)
}

async function status(client: AdminClient, id: string, once: boolean): Promise<void> {
  const path = `/disbursements/${encodeURIComponent(id)}`
  if (once) {
    console.log(JSON.stringify(await client.request('GET', path), null, 2))
    return
  }
  while (true) {
    const s = (await client.request('GET', path)) as Status
    process.stdout.write(`\r${progressLine(s)}`)
    if (s.state === 'COMPLETED') { process.stdout.write('\n'); return }
    await new Promise((resolve) => setTimeout(resolve, STATUS_POLL_MS))
  }
}
