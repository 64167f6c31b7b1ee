// Participants and their positions a page at a time, for schemes with thousands of DFSPs: filtered by name
// (a prefix or substring) and currency, sorted on the server by a named column, with the total for a pager.
// Rows are positionsReport's rows (money as strings), so the page and the full report agree.
import type { Db } from '../../ledger/store/db.ts'
import { positionRow, type PositionLine } from './reports.ts'
import type { ReportRow } from './reports.ts'

export const PARTICIPANTS_PAGE_ROWS_MAX = 500
export const PARTICIPANT_SORTS = ['participant', 'currency', 'position', 'reserved', 'netDebitCap', 'funds', 'capUsed'] as const
export type ParticipantSort = (typeof PARTICIPANT_SORTS)[number]

export interface ParticipantsPageQuery {
  offset: number
  limit: number
  /** Part of a participant's name. */
  name?: string
  currency?: string
  sort?: ParticipantSort
  descending?: boolean
}

const SORT_COLUMNS: Record<ParticipantSort, string> = {
  participant: 'p.name', currency: 'a.currency', position: 'a.value', reserved: 'a.reserved_value', netDebitCap: 'l.value',
  funds: 's.value', capUsed: 'cap_used',
}

export async function participantsPage(db: Db, query: ParticipantsPageQuery): Promise<{ total: number; rows: ReportRow[] }> {
  const base = db('account as a').join('participant as p', 'p.id', 'a.participant_id')
    .leftJoin('participant_limit as l', function () { this.on('l.account_id', 'a.id').andOnVal('l.type', 'NET_DEBIT_CAP') })
    .leftJoin('account as s', function () { this.on('s.participant_id', 'a.participant_id').andOn('s.currency', 'a.currency').andOnVal('s.type', 'SETTLEMENT') })
    .where('a.type', 'POSITION')
  if (query.name) base.where('p.name', 'like', `%${query.name.replace(/[\\%_]/g, (c) => `\\${c}`)}%`)
  if (query.currency) base.where('a.currency', query.currency)
  const [{ total }] = await base.clone().count({ total: '*' }) as { total: number | string }[]
  const direction = query.descending ? 'desc' : 'asc'
  // Funds are the negated settlement value: its order is the reverse of the column's.
  const sortDirection = query.sort === 'funds' ? (query.descending ? 'asc' : 'desc') : direction
  const rows: PositionLine[] = await base
    .select('p.name', 'p.is_active', 'a.currency', 'a.value', 'a.reserved_value', 'l.value as ndc', 's.value as settlement',
      db.raw('(a.value + a.reserved_value) / NULLIF(l.value, 0) AS cap_used'))
    .orderBy([{ column: SORT_COLUMNS[query.sort ?? 'participant'], order: sortDirection }, { column: 'p.name', order: 'asc' }, { column: 'a.currency', order: 'asc' }])
    .offset(query.offset).limit(query.limit)
  return { total: Number(total), rows: rows.map(positionRow) }
}
