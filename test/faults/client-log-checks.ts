// What the crash suite checks after the faults, against the client's own log (load-client.ts) rather
// than only the database: every prepare answered 202 reached exactly one final state, with the amount
// and parties the client sent; what the payer was told agrees with that state; and GET /transfers/{id}
// answers it too.
import type { Db } from '../../ledger/store/db.ts'
import type { LoadClient, SentPrepare } from './load-client.ts'
import { fspiopHeaders } from '../support/fspiop-client.ts'
import type { ReceivedCallback } from '../support/dfsp-server.ts'

const FINAL = new Set(['COMMITTED', 'ABORTED', 'EXPIRED'])
const GET_CONCURRENCY = 16
const GET_ANSWER_MS_MAX = 20_000

export interface Outcome {
  accepted: number
  refused: Record<string, number>
  finalStates: Record<string, number>
  violations: string[]
}

/** Waits until every accepted prepare is final in the database, or `deadline`. */
export async function waitForFinalStates(db: Db, client: LoadClient, deadline: number): Promise<void> {
  const ids = client.sent.filter((p) => p.status === 202).map((p) => p.transfer.transferId)
  while (Date.now() < deadline) {
    const open = await pendingCount(db, ids)
    if (open === 0) return
    await new Promise((r) => setTimeout(r, 500))
  }
}

async function pendingCount(db: Db, ids: string[]): Promise<number> {
  let open = 0
  for (let i = 0; i < ids.length; i += 1_000) {
    const chunk = ids.slice(i, i + 1_000)
    const finals = await db('transfer').whereIn('id', chunk).whereIn('state', [...FINAL]).count({ n: '*' }).first()
    open += chunk.length - Number(finals!.n)
  }
  return open
}

export async function checkClientLog(db: Db, client: LoadClient): Promise<Outcome> {
  const violations: string[] = []
  const refused: Record<string, number> = {}
  const finalStates: Record<string, number> = {}
  const rows = new Map<string, any>()
  const ids = client.sent.map((p) => p.transfer.transferId)
  for (let i = 0; i < ids.length; i += 1_000) {
    for (const r of await db('transfer').whereIn('id', ids.slice(i, i + 1_000)).select('id', 'state', 'amount', 'payer_fsp', 'payee_fsp')) rows.set(r.id, r)
  }
  const reserved = new Set((await db('transfer_state_change').where({ state: 'RESERVED' }).distinct('transfer_id')).map((r: any) => r.transfer_id as string))
  const deadToPayee = new Set((await db('callback_dead_letter').select('recipient', 'reference')).map((r: any) => `${r.recipient}|${r.reference}`))
  const all = await db('transfer').count({ n: '*' }).first()
  if (Number(all!.n) !== rows.size) violations.push(`the ledger holds ${Number(all!.n) - rows.size} transfers the client never sent`)
  const accepted = client.sent.filter((p) => p.status === 202)
  for (const p of client.sent.filter((x) => x.status !== 202)) refused[String(p.status)] = (refused[String(p.status)] ?? 0) + 1
  for (const p of accepted) {
    const id = p.transfer.transferId
    const row = rows.get(id)
    if (!row) { violations.push(`transfer ${id} was answered 202 but the ledger does not hold it`); continue }
    finalStates[row.state] = (finalStates[row.state] ?? 0) + 1
    if (!FINAL.has(row.state)) violations.push(`transfer ${id} was answered 202 and is still ${row.state}`)
    if (Number(row.amount) !== Number(p.amount) || row.payer_fsp !== p.payer || row.payee_fsp !== p.payee) {
      violations.push(`transfer ${id}: the ledger has ${row.amount} ${row.payer_fsp} → ${row.payee_fsp}, the client sent ${p.amount} ${p.payer} → ${p.payee}`)
    }
    violations.push(...payerToldTheState(p, row.state, client.heard(p.payer, id)))
    // A reservation's prepare must reach the payee (a lost forward would still end EXPIRED, and look fine).
    if (reserved.has(id) && !client.heard(p.payee, id).some((c) => c.method === 'POST') && !deadToPayee.has(`${p.payee}|${id}`)) {
      violations.push(`transfer ${id} was reserved but its prepare never reached the payee ${p.payee}, and no dead letter says why`)
    }
    if (row.state === 'COMMITTED' && p.answer !== 'fulfil') violations.push(`transfer ${id} is COMMITTED but its payee never fulfilled it (it meant to ${p.answer})`)
    if (row.state === 'ABORTED' && p.answer === 'fulfil' && !client.heard(p.payer, id).some((c) => c.body?.errorInformation?.errorCode === '3303')) {
      const code = client.heard(p.payer, id).map((c) => c.body?.errorInformation?.errorCode).find(Boolean)
      if (code !== '4001' && code !== '4200') violations.push(`transfer ${id} is ABORTED (${code}) though its payee fulfilled it`)
    }
  }
  violations.push(...await getAnswersTheState(client, accepted, rows))
  return { accepted: accepted.length, refused, finalStates, violations }
}

/** The payer hears COMMITTED (a PUT) of a committed transfer and errors only of one that is not; never both. */
function payerToldTheState(p: SentPrepare, state: string, heard: ReceivedCallback[]): string[] {
  const id = p.transfer.transferId
  const committed = heard.filter((c) => c.method === 'PUT' && c.path === `/transfers/${id}` && c.body?.transferState === 'COMMITTED')
  const errors = heard.filter((c) => c.method === 'PUT' && c.path === `/transfers/${id}/error`)
  if (state === 'COMMITTED' && errors.length > 0) return [`transfer ${id} is COMMITTED but its payer was sent ${errors.length} error callbacks`]
  if (state !== 'COMMITTED' && committed.length > 0) return [`transfer ${id} is ${state} but its payer was told COMMITTED`]
  return []
}

/** GET /transfers/{id} from the payer: the PUT it is answered with carries the ledger's state (FSPIOP has no EXPIRED: ABORTED). */
async function getAnswersTheState(client: LoadClient, accepted: SentPrepare[], rows: Map<string, any>): Promise<string[]> {
  const violations: string[] = []
  const apiUrl = client.apiUrl
  const queue = accepted.filter((p) => rows.has(p.transfer.transferId))
  const worker = async () => {
    for (let p = queue.pop(); p; p = queue.pop()) {
      const id = p.transfer.transferId
      const before = client.heard(p.payer, id).length
      const r = await fetch(`${apiUrl}/transfers/${id}`, { headers: fspiopHeaders(p.payer, undefined) })
      if (r.status !== 202) { violations.push(`GET /transfers/${id} answered ${r.status}: ${await r.text()}`); continue }
      const deadline = Date.now() + GET_ANSWER_MS_MAX
      while (client.heard(p.payer, id).length === before && Date.now() < deadline) await new Promise((res) => setTimeout(res, 50))
      const answer = client.heard(p.payer, id)[before]
      const expected = rows.get(id).state === 'COMMITTED' ? 'COMMITTED' : 'ABORTED'
      if (!answer) violations.push(`GET /transfers/${id} was never answered`)
      else if (answer.body?.transferState !== expected) violations.push(`GET /transfers/${id} answered ${answer.body?.transferState ?? JSON.stringify(answer.body)}, the ledger says ${rows.get(id).state}`)
    }
  }
  await Promise.all(Array.from({ length: GET_CONCURRENCY }, worker))
  return violations
}
