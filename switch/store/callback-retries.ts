// Callbacks that failed their first try wait in `callback_retry` until due; the retrier claims due rows
// (SKIP LOCKED, with a lease, so replicas share the work and a crashed claim is picked up again), a few
// per DFSP at a time so one DFSP's backlog never fills a claim, and settles them: delivered rows go,
// failed ones come due again later, given-up ones become dead letters. While a DFSP's circuit is open,
// its waiting rows are not claimed; each failed probe charges them one try (chargeWaitingRetries).
import type { Db } from '../../ledger/store/db.ts'
import type { CallbackRetryStore } from './callback-retry-store.ts'

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

/** One row, answering its id (the notification handler settles a try that outlived its wait by id). */
export async function scheduleCallbackRetry(db: Db, row: CallbackRetryInput): Promise<string> {
  const [id] = await db('callback_retry').insert({
    recipient: row.recipient, reference: row.reference, payload: row.payload, attempts: row.attempts,
    last_reason: row.reason?.slice(0, REASON_LENGTH_MAX) ?? null, due_at: row.dueAt,
  })
  return String(id)
}

export interface ClaimOptions {
  limit: number
  lease_ms: number
  now: Date
  /** Rows claimed per recipient at most (round-robin: each recipient's first due row, then each one's second …). */
  perRecipientMax?: number
  /** Lower limits for some recipients (e.g. 1: a probe). */
  perRecipient?: ReadonlyMap<string, number>
  /** Recipients not to claim for (open circuit, no free budget). */
  exclude?: readonly string[]
}

/** Claims up to `limit` due rows: they come due again only after the lease, unless settled before. */
export async function claimDueCallbackRetries(db: Db, opts: ClaimOptions): Promise<CallbackRetry[]> {
  return db.transaction(async (trx) => {
    const ids = await fairlyChosenDueIds(trx, opts)
    if (ids.length === 0) return []
    // Lock what is still due and not taken by another claimer since the choice.
    const rows = await trx('callback_retry').whereIn('id', ids).where('due_at', '<=', opts.now).orderBy('due_at').orderBy('id')
      .forUpdate().skipLocked().select('id', 'recipient', 'reference', 'payload', 'attempts')
    if (rows.length === 0) return []
    await trx('callback_retry').whereIn('id', rows.map((r: { id: number | string }) => r.id)).update({ due_at: new Date(opts.now.getTime() + opts.lease_ms) })
    return rows.map((r: { id: number | string; recipient: string; reference: string | null; payload: string; attempts: number | string }) => ({ id: String(r.id), recipient: r.recipient, reference: r.reference, payload: r.payload, attempts: Number(r.attempts) }))
  })
}

async function fairlyChosenDueIds(db: Db, opts: ClaimOptions): Promise<string[]> {
  const turnsMax = opts.perRecipientMax ?? opts.limit
  const special = [...(opts.perRecipient ?? new Map<string, number>())]
  const turnLimit = special.length === 0
    ? db.raw('?', [turnsMax])
    : db.raw(`CASE recipient ${special.map(() => 'WHEN ? THEN ?').join(' ')} ELSE ? END`, [...special.flat(), turnsMax])
  const ranked = db('callback_retry').where('due_at', '<=', opts.now).whereNotIn('recipient', opts.exclude ?? [])
    .select('id', 'recipient', db.raw('ROW_NUMBER() OVER (PARTITION BY recipient ORDER BY due_at, id) AS turn'))
  const rows = await db.from(ranked.as('ranked')).where('turn', '<=', turnLimit).orderBy('turn').orderBy('id').limit(opts.limit).select('id')
  return rows.map((r: { id: number | string }) => String(r.id))
}

export interface RetryOutcomes {
  delivered: readonly string[]
  again: readonly { id: string; attempts: number; reason: string; dueAt: Date }[]
  dead: readonly { id: string; letter: DeadLetter }[]
  /** Not tried (the DFSP's circuit opened after the claim): due again at the time given, tries unchanged. */
  deferred?: readonly { id: string; dueAt: Date }[]
}

/** Records what became of claimed rows, in one transaction. */
export async function settleCallbackRetries(db: Db, outcomes: RetryOutcomes): Promise<void> {
  const gone = [...outcomes.delivered, ...outcomes.dead.map((d) => d.id)]
  const deferred = outcomes.deferred ?? []
  if (gone.length === 0 && outcomes.again.length === 0 && deferred.length === 0) return
  await db.transaction(async (trx) => {
    if (outcomes.dead.length > 0) await addDeadLetters(trx, outcomes.dead.map((d) => d.letter))
    if (gone.length > 0) await trx('callback_retry').whereIn('id', gone).delete()
    for (const a of outcomes.again) {
      await trx('callback_retry').where({ id: a.id }).update({ attempts: a.attempts, last_reason: a.reason.slice(0, REASON_LENGTH_MAX), due_at: a.dueAt })
    }
    for (const d of deferred) await trx('callback_retry').where({ id: d.id }).update({ due_at: d.dueAt })
  })
}

/**
 * A probe of a DFSP whose circuit is open failed: each of its due, unclaimed retries (up to `limit`, the
 * longest-waiting first) counts one try made, the probe standing for it, without being sent. Those that
 * reach `attemptsMax` become dead letters with the reason; the others come due at `dueAt`.
 */
export async function chargeWaitingRetries(db: Db, opts: { recipient: string; reason: string; attemptsMax: number; now: Date; dueAt: Date; limit: number }): Promise<{ charged: number; deadLettered: number }> {
  return db.transaction(async (trx) => {
    const rows = await trx('callback_retry').where({ recipient: opts.recipient }).where('due_at', '<=', opts.now).orderBy('due_at').orderBy('id')
      .limit(opts.limit).forUpdate().skipLocked().select('id', 'reference', 'payload', 'attempts')
    const reason = `not sent: ${opts.recipient}'s circuit is open and its probe failed: ${opts.reason}`.slice(0, REASON_LENGTH_MAX)
    const dead = rows.filter((r: { attempts: number }) => Number(r.attempts) + 1 >= opts.attemptsMax)
    const charged = rows.filter((r: { attempts: number }) => Number(r.attempts) + 1 < opts.attemptsMax)
    if (dead.length > 0) {
      await addDeadLetters(trx, dead.map((r: { reference: string | null; payload: string }) => ({
        recipient: opts.recipient, method: (JSON.parse(r.payload) as { method: string }).method, url: null, reference: r.reference,
        payload: r.payload, reason, attempts: opts.attemptsMax,
      })))
      await trx('callback_retry').whereIn('id', dead.map((r: { id: number }) => r.id)).delete()
    }
    if (charged.length > 0) {
      await trx('callback_retry').whereIn('id', charged.map((r: { id: number }) => r.id)).update({ attempts: trx.raw('attempts + 1'), last_reason: reason, due_at: opts.dueAt })
    }
    return { charged: charged.length, deadLettered: dead.length }
  })
}

export async function pendingCallbackRetries(db: Db, reference: string): Promise<number> {
  const [row] = await db('callback_retry').where({ reference }).count({ n: '*' })
  return Number(row?.n ?? 0)
}

/** The callback retry store on MariaDB. */
export function mysqlCallbackRetries(db: Db): CallbackRetryStore {
  return {
    schedule: (rows) => scheduleCallbackRetries(db, rows),
    scheduleOne: (row) => scheduleCallbackRetry(db, row),
    addDeadLetters: (rows) => addDeadLetters(db, rows),
    claimDue: (opts) => claimDueCallbackRetries(db, opts),
    settle: (outcomes) => settleCallbackRetries(db, outcomes),
    chargeWaiting: (opts) => chargeWaitingRetries(db, opts),
    pending: (reference) => pendingCallbackRetries(db, reference),
  }
}
