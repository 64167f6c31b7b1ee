// The disbursement tables (migration 20261203_0002): a job, its beneficiaries, its chunks. Every state
// change is one DB transaction and touches many rows with few statements (multi-row inserts, one UPDATE
// per distinct new value), never one round trip per beneficiary.
import { Decimal } from 'decimal.js'
import type { Knex } from 'knex'
import type { Db } from '../../ledger/store/db.ts'
import { formatAmount, toDbDecimal } from '../../ledger/domain/money.ts'
import type { Submission, SubmissionFormat } from './submission.ts'

export const DISBURSEMENT_STATES = ['RECEIVED', 'RESOLVING', 'PAYING', 'COMPLETED'] as const
export type DisbursementState = (typeof DISBURSEMENT_STATES)[number]
export type ItemState = 'RECEIVED' | 'RESOLVED' | 'UNRESOLVED' | 'PAID' | 'FAILED'

/** Rows per multi-row INSERT, and ids per `IN (...)` of an UPDATE. */
export const ROWS_PER_STATEMENT_MAX = 2_000

export interface DisbursementRow {
  id: string
  payerFsp: string
  format: SubmissionFormat
  currency: string
  contentHash: string
  state: DisbursementState
  total: number
  totalAmount: string
  meta: Record<string, string>
  createdAt: Date
  completedAt: Date | null
}

export interface Progress {
  total: number
  paid: number
  failed: number
  unresolved: number
  pending: number
  amounts: { total: string; paid: string; failed: string; unresolved: string; pending: string }
}

export interface ItemRow {
  itemNo: number
  idType: string
  idValue: string
  amount: string
  name: string
  reference: string
  state: ItemState
  payeeFsp: string | null
  errorCode: string | null
  errorDescription: string | null
}

export interface ItemUpdate {
  set: { state: ItemState; payee_fsp?: string | null; error_code?: string | null; error_description?: string | null; chunk_no?: number }
  itemNos: number[]
}

type Raw = Record<string, unknown>
const toRow = (r: Raw): DisbursementRow => ({
  id: String(r.id), payerFsp: String(r.payer_fsp), format: r.format as SubmissionFormat, currency: String(r.currency), contentHash: String(r.content_hash),
  state: r.state as DisbursementState, total: Number(r.total), totalAmount: formatAmount(String(r.total_amount)), meta: JSON.parse(String(r.source_meta)) as Record<string, string>,
  createdAt: r.created_at as Date, completedAt: (r.completed_at as Date | null) ?? null,
})

export type CreateResult = { created: true; row: DisbursementRow } | { created: false; row: DisbursementRow }

/** Creates the job and all its beneficiaries in one transaction; an id already taken answers the existing job unchanged. */
export async function createDisbursement(db: Db, payerFsp: string, submission: Submission, contentHash: string): Promise<CreateResult> {
  const totalAmount = submission.beneficiaries.reduce((sum, b) => sum.plus(b.amount), new Decimal(0))
  try {
    await db.transaction(async (trx) => {
      await trx('disbursement').insert({
        id: submission.disbursementId, payer_fsp: payerFsp, format: submission.format, currency: submission.currency, content_hash: contentHash,
        state: 'RECEIVED', total: submission.beneficiaries.length, total_amount: toDbDecimal(totalAmount), source_meta: JSON.stringify(submission.meta),
      })
      for (let at = 0; at < submission.beneficiaries.length; at += ROWS_PER_STATEMENT_MAX) {
        await trx('disbursement_item').insert(submission.beneficiaries.slice(at, at + ROWS_PER_STATEMENT_MAX).map((b, i) => ({
          disbursement_id: submission.disbursementId, item_no: at + i, id_type: b.idType, id_value: b.idValue, amount: toDbDecimal(b.amount),
          name: b.name, reference: b.reference, state: 'RECEIVED',
        })))
      }
    })
  } catch (error) {
    if ((error as { code?: string }).code !== 'ER_DUP_ENTRY') throw error
    return { created: false, row: (await findDisbursement(db, submission.disbursementId))! }
  }
  return { created: true, row: (await findDisbursement(db, submission.disbursementId))! }
}

export async function findDisbursement(db: Db | Knex.Transaction, id: string): Promise<DisbursementRow | undefined> {
  const row = (await db('disbursement').where({ id }).first()) as Raw | undefined
  return row ? toRow(row) : undefined
}

export async function listDisbursements(db: Db, opts: { payerFsp?: string; limit: number }): Promise<DisbursementRow[]> {
  const query = db('disbursement').orderBy('created_at', 'desc').limit(opts.limit)
  if (opts.payerFsp) void query.where({ payer_fsp: opts.payerFsp })
  return ((await query) as Raw[]).map(toRow)
}

export async function unfinishedDisbursements(db: Db): Promise<string[]> {
  return ((await db('disbursement').whereNot({ state: 'COMPLETED' }).orderBy('created_at').select('id')) as { id: string }[]).map((r) => r.id)
}

export async function progressOf(db: Db, row: DisbursementRow): Promise<Progress> {
  const counts = (await db('disbursement_item').where({ disbursement_id: row.id }).groupBy('state')
    .select('state', db.raw('COUNT(*) AS n'), db.raw('SUM(amount) AS amount'))) as { state: ItemState; n: number; amount: string }[]
  const of = (...states: ItemState[]) => counts.filter((c) => states.includes(c.state))
  const n = (...states: ItemState[]) => of(...states).reduce((sum, c) => sum + Number(c.n), 0)
  const amount = (...states: ItemState[]) => formatAmount(of(...states).reduce((sum, c) => sum.plus(String(c.amount)), new Decimal(0)))
  return {
    total: row.total, paid: n('PAID'), failed: n('FAILED'), unresolved: n('UNRESOLVED'), pending: n('RECEIVED', 'RESOLVED'),
    amounts: { total: row.totalAmount, paid: amount('PAID'), failed: amount('FAILED'), unresolved: amount('UNRESOLVED'), pending: amount('RECEIVED', 'RESOLVED') },
  }
}

const toItem = (r: Raw): ItemRow => ({
  itemNo: Number(r.item_no), idType: String(r.id_type), idValue: String(r.id_value), amount: formatAmount(String(r.amount)), name: String(r.name), reference: String(r.reference),
  state: r.state as ItemState, payeeFsp: (r.payee_fsp as string | null) ?? null, errorCode: (r.error_code as string | null) ?? null, errorDescription: (r.error_description as string | null) ?? null,
})

/** Items in item order from `afterItemNo` (exclusive), at most `limit`, optionally of one state. */
export async function itemsPage(db: Db, id: string, opts: { afterItemNo: number; limit: number; state?: ItemState }): Promise<ItemRow[]> {
  const query = db('disbursement_item').where({ disbursement_id: id }).andWhere('item_no', '>', opts.afterItemNo).orderBy('item_no').limit(opts.limit)
  if (opts.state) void query.andWhere({ state: opts.state })
  return ((await query) as Raw[]).map(toItem)
}

/** A chunk's items still to pay, in item order, through the (disbursement_id, chunk_no) index (no scan of the others). */
export async function chunkItems(db: Db, id: string, chunkNo: number): Promise<ItemRow[]> {
  return ((await db('disbursement_item').where({ disbursement_id: id, chunk_no: chunkNo, state: 'RESOLVED' }).orderBy('item_no')) as Raw[]).map(toItem)
}

/** Applies item updates (one UPDATE per distinct value, ids in slices) inside `trx`. */
export async function updateItems(trx: Knex.Transaction, id: string, updates: readonly ItemUpdate[]): Promise<void> {
  for (const update of updates) {
    for (let at = 0; at < update.itemNos.length; at += ROWS_PER_STATEMENT_MAX) {
      await trx('disbursement_item').where({ disbursement_id: id }).whereIn('item_no', update.itemNos.slice(at, at + ROWS_PER_STATEMENT_MAX)).update(update.set)
    }
  }
}

export async function setState(trx: Knex.Transaction, id: string, state: DisbursementState): Promise<void> {
  await trx('disbursement').where({ id }).update({ state, ...(state === 'COMPLETED' ? { completed_at: trx.fn.now(3) } : {}) })
}
