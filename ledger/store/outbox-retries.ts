// Callbacks that failed their first try wait in `callback_retry` until due; the retrier claims due rows
// (SKIP LOCKED, with a lease, so replicas share the work and a crashed claim is picked up again) and
// settles them: delivered rows go, failed ones come due again later, given-up ones become dead letters.
import type { Db } from './db.ts'

export interface CallbackRetryInput {
  recipient: string
  reference: string | null
  /** The callback as JSON. */
  payload: string
  attempts: number
  reason: string | null
  dueAt: Date
}

export interface CallbackRetry {
  id: string
  recipient: string
  reference: string | null
  payload: string
  attempts: number
}

export interface DeadLetter {
  recipient: string
  method: string
  url: string | null
  reference: string | null
  payload: string
  reason: string
  attempts: number
}

export const REASON_LENGTH_MAX = 512

export async function scheduleCallbackRetries(db: Db, rows: readonly CallbackRetryInput[]): Promise<void> {
  if (rows.length === 0) return
  await db('callback_retry').insert(rows.map((r) => ({
    recipient: r.recipient, reference: r.reference, payload: r.payload, attempts: r.attempts,
    last_reason: r.reason?.slice(0, REASON_LENGTH_MAX) ?? null, due_at: r.dueAt,
  })))
}

export async function addDeadLetters(db: Db, rows: readonly DeadLetter[]): Promise<void> {
  if (rows.length === 0) return
  await db('callback_dead_letter').insert(rows.map((r) => ({ ...r, reason: r.reason.slice(0, REASON_LENGTH_MAX) })))
}

/** Claims up to `limit` due rows: they come due again only after the lease, unless settled before. */
export async function claimDueCallbackRetries(db: Db, opts: { limit: number; lease_ms: number; now: Date }): Promise<CallbackRetry[]> {
  return db.transaction(async (trx) => {
    const rows = await trx('callback_retry').where('due_at', '<=', opts.now).orderBy('due_at').orderBy('id')
      .limit(opts.limit).forUpdate().skipLocked().select('id', 'recipient', 'reference', 'payload', 'attempts')
    if (rows.length === 0) return []
    await trx('callback_retry').whereIn('id', rows.map((r: any) => r.id)).update({ due_at: new Date(opts.now.getTime() + opts.lease_ms) })
    return rows.map((r: any) => ({ id: String(r.id), recipient: r.recipient, reference: r.reference, payload: r.payload, attempts: Number(r.attempts) }))
  })
}

export interface RetryOutcomes {
  delivered: readonly string[]
  again: readonly { id: string; attempts: number; reason: string; dueAt: Date }[]
  dead: readonly { id: string; letter: DeadLetter }[]
}

/** Records what became of claimed rows, in one transaction. */
export async function settleCallbackRetries(db: Db, outcomes: RetryOutcomes): Promise<void> {
  const gone = [...outcomes.delivered, ...outcomes.dead.map((d) => d.id)]
  if (gone.length === 0 && outcomes.again.length === 0) return
  await db.transaction(async (trx) => {
    if (outcomes.dead.length > 0) await addDeadLetters(trx, outcomes.dead.map((d) => d.letter))
    if (gone.length > 0) await trx('callback_retry').whereIn('id', gone).delete()
    for (const a of outcomes.again) {
      await trx('callback_retry').where({ id: a.id }).update({ attempts: a.attempts, last_reason: a.reason.slice(0, REASON_LENGTH_MAX), due_at: a.dueAt })
    }
  })
}

export async function pendingCallbackRetries(db: Db, reference: string): Promise<number> {
  const [row] = await db('callback_retry').where({ reference }).count({ n: '*' })
  return Number(row?.n ?? 0)
}
