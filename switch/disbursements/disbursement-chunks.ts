// The chunks of a disbursement: fixed once (payee DFSP, then item order, at most `chunkItemsMax` items
// each), before any payment, so a resumed engine sends exactly the same bulks.
import type { Knex } from 'knex'
import type { Db } from '../../ledger/store/db.ts'
import { ROWS_PER_STATEMENT_MAX, updateItems, type ItemUpdate } from './disbursement-store.ts'

/** Inside the transaction that moves the disbursement to PAYING. */
export async function assignChunks(trx: Knex.Transaction, id: string, chunkItemsMax: number): Promise<void> {
  const rows = (await trx('disbursement_item').where({ disbursement_id: id, state: 'RESOLVED' }).orderBy([{ column: 'payee_fsp' }, { column: 'item_no' }])
    .select('item_no', 'payee_fsp')) as { item_no: number; payee_fsp: string }[]
  const chunks: { disbursement_id: string; chunk_no: number; payee_fsp: string; items: number; state: string }[] = []
  const updates: ItemUpdate[] = []
  for (const row of rows) {
    const last = chunks.at(-1)
    if (!last || last.payee_fsp !== row.payee_fsp || last.items === chunkItemsMax) {
      chunks.push({ disbursement_id: id, chunk_no: chunks.length, payee_fsp: row.payee_fsp, items: 0, state: 'PENDING' })
      updates.push({ set: { state: 'RESOLVED', chunk_no: chunks.length - 1 }, itemNos: [] })
    }
    chunks.at(-1)!.items++
    updates.at(-1)!.itemNos.push(row.item_no)
  }
  for (let at = 0; at < chunks.length; at += ROWS_PER_STATEMENT_MAX) await trx('disbursement_chunk').insert(chunks.slice(at, at + ROWS_PER_STATEMENT_MAX))
  await updateItems(trx, id, updates)
}

export async function pendingChunks(db: Db, id: string): Promise<{ chunkNo: number; payeeFsp: string }[]> {
  const rows = (await db('disbursement_chunk').where({ disbursement_id: id, state: 'PENDING' }).orderBy('chunk_no').select('chunk_no', 'payee_fsp')) as { chunk_no: number; payee_fsp: string }[]
  return rows.map((r) => ({ chunkNo: r.chunk_no, payeeFsp: r.payee_fsp }))
}

/** Counts the attempt; the expiration is set at the first and kept, so every retry sends the same bulk. */
export async function startAttempt(trx: Knex.Transaction, id: string, chunkNo: number, expiry_ms: number): Promise<string> {
  const chunk = (await trx('disbursement_chunk').where({ disbursement_id: id, chunk_no: chunkNo }).forUpdate().first('expiration')) as { expiration: Date | null }
  const expiration = chunk.expiration ?? new Date(Date.now() + expiry_ms)
  await trx('disbursement_chunk').where({ disbursement_id: id, chunk_no: chunkNo }).update({ attempts: trx.raw('attempts + 1'), expiration })
  return expiration.toISOString()
}

/** The chunk's results and its end, in the caller's one transaction. */
export async function recordChunk(trx: Knex.Transaction, id: string, chunkNo: number, updates: readonly ItemUpdate[]): Promise<void> {
  await updateItems(trx, id, updates)
  await trx('disbursement_chunk').where({ disbursement_id: id, chunk_no: chunkNo }).update({ state: 'DONE' })
}
