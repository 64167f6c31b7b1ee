// A settlement as it is: its state and windows, each participant's multilateral net position per currency
// with the state of its settlement account (settlementReport's rows), and the journal entries its steps
// posted (position resets, funds moved, aborts), line by line, for the web view and as CSV.
import type { Db } from '../../ledger/store/db.ts'
import { formatAmount } from '../../ledger/domain/money.ts'
import { settlementReport, type ReportRow } from './reports.ts'

export interface SettlementDetail {
  settlement: { id: number; state: string; reason: string | null; model: string; created: string; changed: string }
  windows: { id: number; state: string }[]
  accounts: ReportRow[]
  journal: ReportRow[]
}

export async function settlementDetail(db: Db, id: string): Promise<SettlementDetail | undefined> {
  const s = await db('settlement as s').join('settlement_model as m', 'm.id', 's.settlement_model_id').where('s.id', id)
    .select('s.id', 's.state', 's.reason', 's.created_at', 's.changed_at', 'm.name as model').first()
  if (!s) return undefined
  const windows = await db('settlement_window as w').join('settlement_window_link as l', 'l.settlement_window_id', 'w.id').where('l.settlement_id', id).orderBy('w.id').select('w.id', 'w.state')
  return {
    settlement: { id: Number(s.id), state: s.state, reason: s.reason, model: s.model, created: s.created_at.toISOString(), changed: s.changed_at.toISOString() },
    windows: windows.map((w) => ({ id: Number(w.id), state: w.state })),
    accounts: await settlementReport(db, id),
    journal: await settlementJournal(db, id),
  }
}

/** Every line of every journal entry a settlement's steps posted (their reference is "settlement:account"). */
export async function settlementJournal(db: Db, id: string): Promise<ReportRow[]> {
  const rows = await db('journal_entry as e').join('journal_line as l', 'l.entry_id', 'e.id').join('account as a', 'a.id', 'l.account_id').join('participant as p', 'p.id', 'a.participant_id')
    .where('e.reference', 'like', `${id}:%`).andWhere('e.kind', 'like', 'SETTLEMENT%').orderBy(['e.id', 'l.account_id'])
    .select('e.id', 'e.kind', 'e.created_at', 'e.currency', 'p.name', 'a.type', 'l.amount')
  return rows.map((r) => ({ entry: Number(r.id), time: r.created_at.toISOString(), kind: r.kind, participant: r.name, account: r.type, currency: r.currency, amount: formatAmount(r.amount) }))
}
