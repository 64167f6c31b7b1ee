// Each DFSP's POSITION accounts with their net debit cap, for the metrics scrape: one indexed read,
// bounded by POSITION_GAUGES_MAX rows (the scheme's DFSPs times currencies).
import type { Db } from './db.ts'

export const POSITION_GAUGES_MAX = 5_000

export interface PositionGaugeRow {
  participant: string
  currency: string
  /** Committed position (what the DFSP owes the scheme), as stored (DECIMAL text). */
  value: string
  /** Held by transfers not yet final. */
  reserved: string
  /** NET_DEBIT_CAP, when the account has one. */
  netDebitCap: string | null
}

export async function readPositionGauges(db: Db): Promise<PositionGaugeRow[]> {
  const rows: { participant: string; currency: string; value: string; reserved: string; ndc: string | null }[] = await db('account as a')
    .join('participant as p', 'p.id', 'a.participant_id')
    .leftJoin('participant_limit as l', (j) => j.on('l.account_id', 'a.id').andOnVal('l.type', 'NET_DEBIT_CAP'))
    .where('a.type', 'POSITION').andWhere('p.is_hub', false)
    .select('p.name as participant', 'a.currency', 'a.value', 'a.reserved_value as reserved', 'l.value as ndc')
    .orderBy('a.id').limit(POSITION_GAUGES_MAX)
  return rows.map((r) => ({ participant: r.participant, currency: r.currency, value: String(r.value), reserved: String(r.reserved), netDebitCap: r.ndc === null ? null : String(r.ndc) }))
}
