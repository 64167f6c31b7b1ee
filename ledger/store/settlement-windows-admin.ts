// Closing settlement windows and reading them. Closing takes the window row's lock (waiting for the
// commits in flight, which hold it shared), marks it CLOSED and opens the next one: nothing is counted
// here, so a close takes milliseconds however many transfers the window holds.
import type { Knex } from 'knex'
import type { SettlementWindowTable } from './ledger-tables.ts'

import type { WindowCloseResult } from '../funds-settlement-port.ts'
export type { WindowProblem } from '../funds-settlement-port.ts'

export async function closeWindow(trx: Knex.Transaction, id: string, reason: string): Promise<WindowCloseResult> {
  const window = await trx('settlement_window').where({ id }).forUpdate().first()
  if (!window) return { ok: false, problem: 'unknown-window' }
  if (window.state !== 'OPEN') return { ok: false, problem: 'not-open' }
  await trx('settlement_window').where({ id }).update({ state: 'CLOSED', reason, changed_at: trx.fn.now(3) })
  const [nextId] = await trx('settlement_window').insert({ state: 'OPEN', reason: `opened when window ${id} closed` })
  await trx('settlement_window_state_change').insert([
    { settlement_window_id: id, state: 'CLOSED', reason },
    { settlement_window_id: nextId, state: 'OPEN', reason: `opened when window ${id} closed` },
  ])
  return { ok: true, nextId: String(nextId) }
}

/** The OPEN window's id if it opened at least `interval_ms` ago (read, not locked: closeWindow locks it). */
export async function openWindowDueForClose(trx: Knex.Transaction, interval_ms: number): Promise<string | undefined> {
  const open = await trx('settlement_window').where({ state: 'OPEN' })
    .andWhere('created_at', '<=', trx.raw('NOW(3) - INTERVAL ? MICROSECOND', [interval_ms * 1000])).first()
  return open ? String(open.id) : undefined
}

export interface WindowRow {
  id: string
  state: string
  reason: string | null
  created_at: Date
  changed_at: Date
}

export async function listWindows(q: Knex, filter: { id?: string; state?: string; fromDateTime?: string; toDateTime?: string; participantId?: number; limit?: number } = {}): Promise<WindowRow[]> {
  const query = q<SettlementWindowTable>('settlement_window as w').select('w.*').orderBy('w.id', 'desc')
  if (filter.id !== undefined) query.where('w.id', filter.id)
  if (filter.limit !== undefined) query.limit(filter.limit)
  if (filter.state) query.where('w.state', filter.state)
  if (filter.fromDateTime) query.where('w.created_at', '>=', new Date(filter.fromDateTime))
  if (filter.toDateTime) query.where('w.created_at', '<=', new Date(filter.toDateTime))
  if (filter.participantId !== undefined) {
    query.whereExists(q('journal_entry as e').join('journal_line as l', 'l.entry_id', 'e.id').join('account as a', 'a.id', 'l.account_id')
      .whereRaw('e.settlement_window_id = w.id').where('a.participant_id', filter.participantId))
  }
  return (await query).map((r) => ({ ...r, id: String(r.id) }))
}

/** Net position change per POSITION account committed in the windows (positive: the DFSP owes). */
export async function windowNets(q: Knex | Knex.Transaction, windowIds: readonly string[]) {
  if (windowIds.length === 0) return []
  const rows: { account_id: number; participant_id: number; currency: string; net: string; transfers: string | number }[] = await q('journal_entry as e').join('journal_line as l', 'l.entry_id', 'e.id').join('account as a', 'a.id', 'l.account_id')
    // Immediate gross settlement resets positions at commit (GROSS_SETTLEMENT): those transfers net to zero.
    .whereIn('e.settlement_window_id', windowIds).whereIn('e.kind', ['TRANSFER_COMMIT', 'GROSS_SETTLEMENT']).where('a.type', 'POSITION')
    .groupBy('l.account_id', 'a.participant_id', 'a.currency')
    .select('l.account_id', 'a.participant_id', 'a.currency').sum({ net: 'l.amount' }).countDistinct({ transfers: 'e.reference' }).havingRaw('SUM(l.amount) <> 0')
  return rows.map((r) => ({ accountId: r.account_id, participantId: r.participant_id, currency: r.currency, net: String(r.net), transfers: Number(r.transfers) }))
}
