// Quotes with their duplicate checks: read a batch's quotes locked, insert the new ones in one statement,
// record the payees' answers in one statement.
import type { Knex } from 'knex'

export interface QuoteRow {
  id: string
  transaction_id: string
  payer_fsp: string
  payee_fsp: string
  /** Decimal string as stored (DECIMAL(22,4)). */
  amount: string
  currency: string
  amount_type: string
  expiration: Date | null
  state: string
  request_hash: string
  response_hash?: string | null
  /** The payee's PUT body or error as JSON `{ error, body }`, resent for duplicates and GET. */
  response?: string | null
  fspiop_version: string
}

export interface QuoteAnswer {
  id: string
  state: string
  response_hash: string
  response: string
}

export async function lockQuotes(trx: Knex.Transaction, ids: readonly string[]): Promise<Map<string, QuoteRow>> {
  if (ids.length === 0) return new Map()
  const rows: QuoteRow[] = await trx('quote').whereIn('id', [...ids]).forUpdate()
  return new Map(rows.map((q) => [q.id, q]))
}

export async function insertQuotes(trx: Knex.Transaction, rows: readonly QuoteRow[]): Promise<void> {
  if (rows.length > 0) await trx('quote').insert(rows as QuoteRow[])
}

export async function answerQuotes(trx: Knex.Transaction, answers: readonly QuoteAnswer[]): Promise<void> {
  if (answers.length === 0) return
  const cases = () => `CASE id ${answers.map(() => 'WHEN ? THEN ?').join(' ')} END`
  const args = (column: 'state' | 'response_hash' | 'response') => answers.flatMap((a) => [a.id, a[column]])
  await trx.raw(
    `UPDATE quote SET state = ${cases()}, response_hash = ${cases()}, response = ${cases()}, changed_at = NOW(3) WHERE id IN (${answers.map(() => '?').join(',')})`,
    [...args('state'), ...args('response_hash'), ...args('response'), ...answers.map((a) => a.id)],
  )
}
