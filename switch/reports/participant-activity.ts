// A participant's activity a page at a time: its statement (journal lines on one of its accounts, oldest
// first, each with the running balance; the balance before the page is summed in the database) and its
// transfers as payer or payee (newest first), filtered by state and date.
import type { Db } from '../../ledger/store/db.ts'
import { formatAmount, fromUnits, toUnits } from '../../ledger/domain/money.ts'
import type { ReportRow } from './reports.ts'

export { TRANSFER_STATES } from '../../ledger/domain/transfer-state.ts'

export const ACTIVITY_PAGE_ROWS_MAX = 500

export interface Period {
  /** ISO 8601 date-times, inclusive. */
  from?: string
  to?: string
}
export interface StatementQuery extends Period { currency?: string; account?: string; offset: number; limit: number }
export interface TransfersQuery extends Period { state?: string; offset: number; limit: number }
export interface Page { total: number; rows: ReportRow[] }

interface LineRow { entry_id: string | number; created_at: Date; kind: string; reference: string; amount: string; settlement_window_id: string | null }

/** The lines of one account (POSITION in the first currency unless told), with the balance after each. */
export async function statementPage(db: Db, participant: string, query: StatementQuery): Promise<Page & { account: { id: number; type: string; currency: string } | null }> {
  const accounts: { id: number; type: string; currency: string }[] = await db('account as a').join('participant as p', 'p.id', 'a.participant_id')
    .where('p.name', participant).orderBy(['a.currency', 'a.type']).select('a.id', 'a.type', 'a.currency')
  const account = accounts.find((a) => (query.account ?? 'POSITION') === a.type && (!query.currency || a.currency === query.currency))
  if (!account) return { account: null, total: 0, rows: [] }
  const lines = db('journal_line as l').join('journal_entry as e', 'e.id', 'l.entry_id').where('l.account_id', account.id)
  if (query.from) lines.where('e.created_at', '>=', new Date(query.from))
  if (query.to) lines.where('e.created_at', '<=', new Date(query.to))
  const [{ total }] = await lines.clone().count({ total: '*' }) as { total: number | string }[]
  const page: LineRow[] = await lines.clone().orderBy('e.id').offset(query.offset).limit(query.limit)
    .select('e.id as entry_id', 'e.created_at', 'e.kind', 'e.reference', 'l.amount', 'e.settlement_window_id')
  let balance = 0n
  if (page.length > 0) {
    // Everything on the account before the page's first line, whatever the period: a balance is a balance.
    const [before] = await db('journal_line as l').where('l.account_id', account.id).andWhere('l.entry_id', '<', page[0]!.entry_id).sum({ sum: 'l.amount' }) as { sum: string | null }[]
    balance = before?.sum === null || before?.sum === undefined ? 0n : toUnits(String(before.sum))
  }
  const rows = page.map((r) => {
    balance += toUnits(r.amount)
    return {
      entry: Number(r.entry_id), time: r.created_at.toISOString(), kind: r.kind, reference: r.reference, currency: account.currency,
      amount: formatAmount(r.amount), balance: formatAmount(fromUnits(balance)), window: r.settlement_window_id === null ? null : Number(r.settlement_window_id),
    }
  })
  return { account, total: Number(total), rows }
}

interface TransferRow { id: string; payer_fsp: string; payee_fsp: string; amount: string; currency: string; state: string; error_code: string | null; created_at: Date; completed_at: Date | null; settlement_window_id: string | null }

/** The participant's transfers as payer or payee, newest first. */
export async function transfersPage(db: Db, participant: string, query: TransfersQuery): Promise<Page> {
  const transfers = db('transfer').where((q) => { q.where('payer_fsp', participant).orWhere('payee_fsp', participant) })
  if (query.state) transfers.where('state', query.state)
  if (query.from) transfers.where('created_at', '>=', new Date(query.from))
  if (query.to) transfers.where('created_at', '<=', new Date(query.to))
  const [{ total }] = await transfers.clone().count({ total: '*' }) as { total: number | string }[]
  const rows: TransferRow[] = await transfers.orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).offset(query.offset).limit(query.limit)
    .select('id', 'payer_fsp', 'payee_fsp', 'amount', 'currency', 'state', 'error_code', 'created_at', 'completed_at', 'settlement_window_id')
  return {
    total: Number(total),
    rows: rows.map((t) => ({
      transferId: t.id, payer: t.payer_fsp, payee: t.payee_fsp, direction: t.payer_fsp === participant ? 'out' : 'in', amount: formatAmount(t.amount), currency: t.currency,
      state: t.state, errorCode: t.error_code, created: t.created_at.toISOString(), completed: t.completed_at?.toISOString() ?? null,
      window: t.settlement_window_id === null ? null : Number(t.settlement_window_id),
    })),
  }
}
