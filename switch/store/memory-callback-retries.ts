// The callback retry store in memory, with the MySQL store's rules: fair claims (round-robin by
// recipient, each one's rows by due time), leases, settling, charging an open circuit's waiting rows.
import type { MemoryDatabase } from '../../ledger/memory/memory-database.ts'
import type { CallbackRetryStore } from './callback-retry-store.ts'
import { REASON_LENGTH_MAX, type CallbackRetry, type CallbackRetryInput, type DeadLetter } from './callback-retries.ts'

interface RetryRow {
  id: bigint
  recipient: string
  reference: string | null
  payload: string
  attempts: number
  last_reason: string | null
  due_at: Date
}

export interface MemoryDeadLetter extends DeadLetter {
  id: bigint
  created_at: Date
}

export function memoryCallbackRetryTables(db: MemoryDatabase) {
  return { retries: db.table<bigint, RetryRow>(), deadLetters: db.log<MemoryDeadLetter>(), retryIds: db.sequence(), deadLetterIds: db.sequence() }
}

export type MemoryCallbackRetryTables = ReturnType<typeof memoryCallbackRetryTables>

const byDue = (a: RetryRow, b: RetryRow) => a.due_at.getTime() - b.due_at.getTime() || compareIds(a.id, b.id)
const compareIds = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0)

export function memoryCallbackRetries(db: MemoryDatabase, t: MemoryCallbackRetryTables): CallbackRetryStore {
  const insert = (row: CallbackRetryInput): string => {
    const id = t.retryIds.next()
    t.retries.set(id, {
      id, recipient: row.recipient, reference: row.reference, payload: row.payload, attempts: row.attempts,
      last_reason: row.reason?.slice(0, REASON_LENGTH_MAX) ?? null, due_at: row.dueAt,
    })
    return String(id)
  }
  const addDeadLetters = (rows: readonly DeadLetter[]): void => {
    for (const r of rows) t.deadLetters.append({ ...r, reason: r.reason.slice(0, REASON_LENGTH_MAX), id: t.deadLetterIds.next(), created_at: db.clock() })
  }
  const update = (id: string, change: Partial<RetryRow>): void => {
    const row = t.retries.get(BigInt(id))
    if (row) t.retries.set(row.id, { ...row, ...change })
  }
  const asRetry = (r: RetryRow): CallbackRetry => ({ id: String(r.id), recipient: r.recipient, reference: r.reference, payload: r.payload, attempts: r.attempts })

  return {
    schedule: (rows) => db.transaction(async () => { for (const row of rows) insert(row) }),
    scheduleOne: (row) => db.transaction(async () => insert(row)),
    addDeadLetters: (rows) => db.transaction(async () => addDeadLetters(rows)),
    claimDue: (opts) => db.transaction(async () => {
      const excluded = new Set(opts.exclude ?? [])
      const due = t.retries.where((r) => r.due_at.getTime() <= opts.now.getTime() && !excluded.has(r.recipient)).sort(byDue)
      const turns = new Map<string, number>()
      const ranked = due.map((r) => {
        const turn = (turns.get(r.recipient) ?? 0) + 1
        turns.set(r.recipient, turn)
        return { row: r, turn }
      })
      const turnsMax = opts.perRecipientMax ?? opts.limit
      const chosen = ranked.filter((r) => r.turn <= (opts.perRecipient?.get(r.row.recipient) ?? turnsMax))
        .sort((a, b) => a.turn - b.turn || compareIds(a.row.id, b.row.id)).slice(0, opts.limit).map((r) => r.row).sort(byDue)
      const leased = new Date(opts.now.getTime() + opts.lease_ms)
      for (const r of chosen) t.retries.set(r.id, { ...r, due_at: leased })
      return chosen.map(asRetry)
    }),
    settle: (outcomes) => db.transaction(async () => {
      addDeadLetters(outcomes.dead.map((d) => d.letter))
      for (const id of [...outcomes.delivered, ...outcomes.dead.map((d) => d.id)]) t.retries.delete(BigInt(id))
      for (const a of outcomes.again) update(a.id, { attempts: a.attempts, last_reason: a.reason.slice(0, REASON_LENGTH_MAX), due_at: a.dueAt })
      for (const d of outcomes.deferred ?? []) update(d.id, { due_at: d.dueAt })
    }),
    chargeWaiting: (opts) => db.transaction(async () => {
      const rows = t.retries.where((r) => r.recipient === opts.recipient && r.due_at.getTime() <= opts.now.getTime()).sort(byDue).slice(0, opts.limit)
      const reason = `not sent: ${opts.recipient}'s circuit is open and its probe failed: ${opts.reason}`.slice(0, REASON_LENGTH_MAX)
      const dead = rows.filter((r) => r.attempts + 1 >= opts.attemptsMax)
      const charged = rows.filter((r) => r.attempts + 1 < opts.attemptsMax)
      addDeadLetters(dead.map((r) => ({
        recipient: opts.recipient, method: (JSON.parse(r.payload) as { method: string }).method, url: null, reference: r.reference,
        payload: r.payload, reason, attempts: opts.attemptsMax,
      })))
      for (const r of dead) t.retries.delete(r.id)
      for (const r of charged) t.retries.set(r.id, { ...r, attempts: r.attempts + 1, last_reason: reason, due_at: opts.dueAt })
      return { charged: charged.length, deadLettered: dead.length }
    }),
    pending: async (reference) => t.retries.where((r) => r.reference === reference).length,
  }
}
