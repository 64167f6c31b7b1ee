// A picture of everything the admin API and the pipeline can change, to show that refused input
// changed nothing.
import type { Db } from '../../ledger/store/db.ts'

const TABLES = ['participant', 'account', 'participant_limit', 'participant_endpoint', 'settlement_model', 'funds_movement', 'journal_entry', 'journal_line', 'transfer', 'transfer_state_change', 'audit_log'] as const

export async function snapshot(db: Db): Promise<string> {
  const parts: Record<string, unknown> = {}
  for (const table of TABLES) parts[table] = await db(table).select('*').orderByRaw('1')
  return JSON.stringify(parts)
}
