// Money that moved outside transfers: funds in and out of DFSPs' settlement accounts, recorded by operators,
// newest first, a page at a time, with who recorded each (the audit log says who completed it).
import type { Db } from '../../ledger/store/db.ts'
import { formatAmount } from '../../ledger/domain/money.ts'
import type { Page } from './participant-activity.ts'

export async function fundsMovementsPage(db: Db, query: { offset: number; limit: number; participant?: string }): Promise<Page> {
  const movements = db('funds_movement as f').join('participant as p', 'p.id', 'f.participant_id')
  if (query.participant) movements.where('p.name', query.participant)
  const [{ total }] = await movements.clone().count({ total: '*' }) as { total: number | string }[]
  const rows = await movements.orderBy([{ column: 'f.created_at', order: 'desc' }, { column: 'f.id', order: 'desc' }]).offset(query.offset).limit(query.limit)
    .select('f.id', 'p.name', 'f.direction', 'f.amount', 'f.currency', 'f.state', 'f.reason', 'f.created_by', 'f.created_at', 'f.completed_at')
  return {
    total: Number(total),
    rows: rows.map((f) => ({
      transferId: f.id, participant: f.name, direction: f.direction, amount: formatAmount(f.amount), currency: f.currency, state: f.state, reason: f.reason,
      recordedBy: f.created_by, created: f.created_at.toISOString(), completed: f.completed_at?.toISOString() ?? null,
    })),
  }
}
