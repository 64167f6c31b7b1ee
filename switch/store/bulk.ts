// Bulk quotes and bulk transfers with their duplicate checks: read a batch's rows locked, insert the new
// ones in one statement, update the changed ones. A bulk transfer's items are rows of `transfer`;
// bulk_transfer_item maps each item to its bulk (for expiries, which name a transfer only).
import type { Knex } from 'knex'

export interface BulkQuoteRow {
  id: string
  payer_fsp: string
  payee_fsp: string
  state: string
  /** 'switch': asked by BulkPayments on the payer's behalf; the payee's answer stays here. */
  origin: 'fspiop' | 'switch'
  request_hash: string
  response_hash: string | null
  /** The payee's PUT body or error as JSON `{ error, body }`. */
  response: string | null
  fspiop_version: string
}

export interface BulkTransferRow {
  id: string
  payer_fsp: string
  payee_fsp: string
  payer_account_id: number
  state: 'ACCEPTED' | 'COMPLETED'
  origin: 'fspiop' | 'switch'
  expiration: Date
  prepare_hash: string
  fulfil_hash: string | null
  /** JSON array of the items' transfer ids, in the request's order. */
  transfer_ids: string
  /** JSON: the items refused at prepare, { transferId, errorCode, errorDescription }[]. */
  refused: string
  /** JSON: the final PUT /bulkTransfers/{id} body. */
  result: string | null
  fspiop_version: string
  payer_accept_version: string
  completed_at: Date | null
}

const QUOTE_COLUMNS = ['id', 'payer_fsp', 'payee_fsp', 'state', 'origin', 'request_hash', 'response_hash', 'response', 'fspiop_version'] as const

export async function lockBulkQuotes(trx: Knex.Transaction, ids: readonly string[]): Promise<Map<string, BulkQuoteRow>> {
  if (ids.length === 0) return new Map()
  const rows: BulkQuoteRow[] = await trx('bulk_quote').whereIn('id', [...ids]).select(...QUOTE_COLUMNS).forUpdate()
  return new Map(rows.map((q) => [q.id, q]))
}

/** New rows are inserted; existing ones get their state and answer. */
export async function saveBulkQuotes(trx: Knex.Transaction, rows: readonly BulkQuoteRow[]): Promise<void> {
  if (rows.length === 0) return
  await trx('bulk_quote').insert(rows.map((r) => ({ ...r }))).onConflict('id').merge(['state', 'response_hash', 'response', 'changed_at'])
}

export async function findBulkQuote(db: Knex, id: string): Promise<BulkQuoteRow | undefined> {
  return db('bulk_quote').where({ id }).first(...QUOTE_COLUMNS)
}

const TRANSFER_COLUMNS = ['id', 'payer_fsp', 'payee_fsp', 'payer_account_id', 'state', 'origin', 'expiration', 'prepare_hash', 'fulfil_hash',
  'transfer_ids', 'refused', 'result', 'fspiop_version', 'payer_accept_version', 'completed_at'] as const

function readBulkTransfer(r: BulkTransferRow): BulkTransferRow {
  return { ...r, payer_account_id: Number(r.payer_account_id) }
}

export async function lockBulkTransfers(trx: Knex.Transaction, ids: readonly string[]): Promise<Map<string, BulkTransferRow>> {
  if (ids.length === 0) return new Map()
  const rows: BulkTransferRow[] = await trx('bulk_transfer').whereIn('id', [...ids]).select(...TRANSFER_COLUMNS).forUpdate()
  return new Map(rows.map((r) => [r.id, readBulkTransfer(r)]))
}

/** The bulk each of these transfers belongs to (transfers of no bulk are absent). */
export async function bulkIdsOfTransfers(trx: Knex.Transaction, transferIds: readonly string[]): Promise<Map<string, string>> {
  if (transferIds.length === 0) return new Map()
  const rows: { transfer_id: string; bulk_transfer_id: string }[] = await trx('bulk_transfer_item').whereIn('transfer_id', [...transferIds]).select('transfer_id', 'bulk_transfer_id')
  return new Map(rows.map((r) => [r.transfer_id, r.bulk_transfer_id]))
}

/** New bulks (with their items) are inserted; existing ones get their state, answer and result. */
export async function saveBulkTransfers(trx: Knex.Transaction, rows: readonly BulkTransferRow[], items: readonly { transfer_id: string; bulk_transfer_id: string }[]): Promise<void> {
  if (rows.length > 0) await trx('bulk_transfer').insert(rows.map((r) => ({ ...r }))).onConflict('id').merge(['state', 'fulfil_hash', 'result', 'completed_at'])
  for (let i = 0; i < items.length; i += 1000) await trx('bulk_transfer_item').insert(items.slice(i, i + 1000))
}

export async function findBulkTransfer(db: Knex, id: string): Promise<BulkTransferRow | undefined> {
  const row: BulkTransferRow | undefined = await db('bulk_transfer').where({ id }).first(...TRANSFER_COLUMNS)
  return row ? readBulkTransfer(row) : undefined
}
