// One transfer's whole life for the web view: the transfer, each state it went through with its time and
// reason, its journal entries, and what became of its callbacks. The switch records a callback only when
// its first try fails: a row in callback_retry while retries are due, a dead letter once it gave up (I6).
// A callback that never shows up in either was delivered on its first try (or is still in the outbox).
import type { Db } from '../../ledger/store/db.ts'
import { formatAmount } from '../../ledger/domain/money.ts'

export interface TransferLife {
  transfer: Record<string, string | number | null>
  states: { state: string; reason: string | null; time: string }[]
  journal: { entry: number; kind: string; time: string; lines: { account: string; participant: string; amount: string }[] }[]
  callbacks: { recipient: string; outcome: 'retrying' | 'dead-lettered'; attempts: number; reason: string | null; time: string; method?: string }[]
}

export async function transferLife(db: Db, id: string): Promise<TransferLife | undefined> {
  const t = await db('transfer').where({ id }).first()
  if (!t) return undefined
  const states = await db('transfer_state_change').where({ transfer_id: id }).orderBy('id').select('state', 'reason', 'created_at')
  const entries = await db('journal_entry').where({ reference: id }).orderBy('id').select('id', 'kind', 'created_at')
  const lines = entries.length === 0 ? [] : await db('journal_line as l').join('account as a', 'a.id', 'l.account_id').join('participant as p', 'p.id', 'a.participant_id')
    .whereIn('l.entry_id', entries.map((e) => e.id)).orderBy(['l.entry_id', 'l.account_id']).select('l.entry_id', 'a.type', 'p.name', 'l.amount')
  const retrying = await db('callback_retry').where({ reference: id }).orderBy('id').select('recipient', 'attempts', 'last_reason', 'due_at')
  const dead = await db('callback_dead_letter').where({ reference: id }).orderBy('id').select('recipient', 'method', 'attempts', 'reason', 'created_at')
  return {
    transfer: {
      transferId: t.id, payer: t.payer_fsp, payee: t.payee_fsp, amount: formatAmount(t.amount), currency: t.currency, state: t.state,
      errorCode: t.error_code, errorDescription: t.error_description, created: t.created_at.toISOString(), completed: t.completed_at?.toISOString() ?? null,
      expiration: t.expiration.toISOString(), window: t.settlement_window_id === null ? null : Number(t.settlement_window_id), fspiopVersion: t.fspiop_version ?? null,
    },
    states: states.map((s) => ({ state: s.state, reason: s.reason, time: s.created_at.toISOString() })),
    journal: entries.map((e) => ({
      entry: Number(e.id), kind: e.kind, time: e.created_at.toISOString(),
      lines: lines.filter((l) => String(l.entry_id) === String(e.id)).map((l) => ({ account: l.type, participant: l.name, amount: formatAmount(l.amount) })),
    })),
    callbacks: [
      ...retrying.map((r) => ({ recipient: r.recipient, outcome: 'retrying' as const, attempts: r.attempts, reason: r.last_reason, time: r.due_at.toISOString() })),
      ...dead.map((d) => ({ recipient: d.recipient, outcome: 'dead-lettered' as const, attempts: d.attempts, reason: d.reason, time: d.created_at.toISOString(), method: d.method })),
    ],
  }
}
