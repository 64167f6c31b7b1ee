// Currency conversions (fx_transfer): read a batch's rows, insert new ones and update the changed ones in
// one statement. The conversion's money is its `transfer` row (id = commit_request_id).
import type { Knex } from 'knex'

export interface FxTransferRow {
  commit_request_id: string
  determining_transfer_id: string
  initiating_fsp: string
  counter_party_fsp: string
  owner_account_id: number
  source_amount: string
  source_currency: string
  target_amount: string
  target_currency: string
  dependent_linked: boolean
  fxp_version: string | null
}

const COLUMNS = ['commit_request_id', 'determining_transfer_id', 'initiating_fsp', 'counter_party_fsp', 'owner_account_id', 'source_amount',
  'source_currency', 'target_amount', 'target_currency', 'dependent_linked', 'fxp_version'] as const

function read(r: FxTransferRow): FxTransferRow {
  return { ...r, owner_account_id: Number(r.owner_account_id), dependent_linked: Boolean(r.dependent_linked), source_amount: String(r.source_amount), target_amount: String(r.target_amount) }
}

/** The conversions of these commit request ids that exist. */
export async function fxTransfersById(q: Knex | Knex.Transaction, ids: readonly string[]): Promise<Map<string, FxTransferRow>> {
  if (ids.length === 0) return new Map()
  const rows: FxTransferRow[] = await q('fx_transfer').whereIn('commit_request_id', [...new Set(ids)]).select(...COLUMNS)
  return new Map(rows.map((r) => [r.commit_request_id, read(r)]))
}

/** The conversions that name these transfers as their determining transfer (more than one per transfer
 *  only when different DFSPs or source currencies name it). */
export async function fxTransfersByDetermining(q: Knex | Knex.Transaction, transferIds: readonly string[]): Promise<FxTransferRow[]> {
  if (transferIds.length === 0) return []
  const rows: FxTransferRow[] = await q('fx_transfer').whereIn('determining_transfer_id', [...new Set(transferIds)]).select(...COLUMNS)
  return rows.map(read)
}

/** New conversions are inserted; existing ones get their link and the FXP's version. */
export async function saveFxTransfers(trx: Knex.Transaction, rows: readonly FxTransferRow[]): Promise<void> {
  if (rows.length === 0) return
  await trx('fx_transfer').insert(rows.map((r) => ({ ...r }))).onConflict('commit_request_id').merge(['dependent_linked', 'fxp_version'])
}
