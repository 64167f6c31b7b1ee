// Messages to publish, written in the transaction that causes them and published after it commits.
import type { Knex } from 'knex'
import type { Context } from '@opentelemetry/api'
import { insertMany, type Db } from '../../ledger/store/db.ts'

export interface OutboxMessage {
  topic: string
  key: string
  payload: string
  /** The trace the message continues when published after commit (not stored: the relay's are untraced). */
  trace?: Context
}

interface OutboxRow {
  id: number | string
  topic: string
  message_key: string
  payload: string
}

export interface StoredOutboxMessage extends OutboxMessage {
  id: string
}

export async function addToOutbox(trx: Knex.Transaction, messages: readonly OutboxMessage[]): Promise<StoredOutboxMessage[]> {
  if (messages.length === 0) return []
  const first = await insertMany(trx, 'outbox', messages.map((m) => ({ topic: m.topic, message_key: m.key, payload: m.payload })))
  return messages.map((m, i) => ({ ...m, id: String(first + BigInt(i)) }))
}

export async function markPublished(db: Db | Knex.Transaction, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return
  await db('outbox').whereIn('id', ids).update({ published_at: db.fn.now(3) })
}

/** Rows left unpublished for longer than the age (a process died between commit and publish). */
export async function claimStale(trx: Knex.Transaction, age_ms: number, limit: number): Promise<StoredOutboxMessage[]> {
  const rows = await trx('outbox')
    .whereNull('published_at')
    .andWhere('created_at', '<', trx.raw('NOW(3) - INTERVAL ? MICROSECOND', [age_ms * 1000]))
    .orderBy('id').limit(limit).forUpdate().skipLocked()
  return rows.map((r: OutboxRow) => ({ id: String(r.id), topic: r.topic, key: r.message_key, payload: r.payload }))
}

/** Deletes up to `limit` rows published longer ago than `age_ms` (kept that long for inspection). */
export async function deletePublished(db: Db, age_ms: number, limit: number): Promise<void> {
  await db('outbox').where('published_at', '<', db.raw('NOW(3) - INTERVAL ? MICROSECOND', [age_ms * 1000])).limit(limit).delete()
}
