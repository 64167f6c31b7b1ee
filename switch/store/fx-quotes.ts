// FX quotes (FSPIOP v2.0 fxQuotes) with their duplicate checks: read a batch's rows locked, insert the new
// ones and record the FXPs' answers in one statement.
import type { Knex } from 'knex'

export interface FxQuoteRow {
  /** conversionRequestId */
  id: string
  conversion_id: string
  determining_transfer_id: string | null
  initiating_fsp: string
  /** conversionTerms.counterPartyFsp: the FXP asked. */
  fxp: string
  amount_type: string
  source_currency: string
  /** Decimal strings as stored (DECIMAL(22,4)); the request may leave one side's amount to the FXP. */
  source_amount: string | null
  target_currency: string
  target_amount: string | null
  /** The amounts of the FXP's answer. */
  quoted_source_amount: string | null
  quoted_target_amount: string | null
  expiration: Date
  state: 'RECEIVED' | 'ACCEPTED' | 'REJECTED'
  request_hash: string
  response_hash: string | null
  /** The FXP's PUT body or error as JSON `{ error, body }`, resent for duplicates and GET. */
  response: string | null
  fspiop_version: string
}

const COLUMNS = ['id', 'conversion_id', 'determining_transfer_id', 'initiating_fsp', 'fxp', 'amount_type', 'source_currency', 'source_amount', 'target_currency',
  'target_amount', 'quoted_source_amount', 'quoted_target_amount', 'expiration', 'state', 'request_hash', 'response_hash', 'response', 'fspiop_version'] as const

export async function lockFxQuotes(trx: Knex.Transaction, ids: readonly string[]): Promise<Map<string, FxQuoteRow>> {
  if (ids.length === 0) return new Map()
  const rows: FxQuoteRow[] = await trx('fx_quote').whereIn('id', [...ids]).select(...COLUMNS).forUpdate()
  return new Map(rows.map((q) => [q.id, q]))
}

/** New rows are inserted; existing ones get their state, answer and quoted amounts. */
export async function saveFxQuotes(trx: Knex.Transaction, rows: readonly FxQuoteRow[]): Promise<void> {
  if (rows.length === 0) return
  await trx('fx_quote').insert(rows.map((r) => ({ ...r }))).onConflict('id')
    .merge(['state', 'response_hash', 'response', 'quoted_source_amount', 'quoted_target_amount', 'changed_at'])
}

export async function findFxQuote(db: Knex, id: string): Promise<FxQuoteRow | undefined> {
  return db('fx_quote').where({ id }).first(...COLUMNS)
}
