// What the pipeline has left to do, for the metrics scrape: outbox rows not yet published, callbacks
// waiting for a retry, dead letters. Each count is bounded (BACKLOG_COUNT_MAX) so a scrape stays cheap
// however large a backlog grows; the outbox count walks its (published_at, id) index.
import type { Knex } from 'knex'
import type { Db } from '../../ledger/store/db.ts'

export const BACKLOG_COUNT_MAX = 1_000_000

export interface PipelineBacklog {
  outboxUnpublished: number
  /** Age of the oldest unpublished outbox row (0 when there is none). */
  outboxOldest_s: number
  callbackRetriesWaiting: number
  deadLetters: number
}

async function boundedCount(db: Db, table: string, where?: (q: Knex.QueryBuilder) => void): Promise<number> {
  const inner = db(table).select(db.raw('1')).limit(BACKLOG_COUNT_MAX)
  if (where) where(inner)
  const [row] = await db.from(inner.as('bounded')).count({ n: '*' })
  return Number((row as { n: number | string }).n)
}

export async function readPipelineBacklog(db: Db): Promise<PipelineBacklog> {
  const [outboxUnpublished, oldest, callbackRetriesWaiting, deadLetters] = await Promise.all([
    boundedCount(db, 'outbox', (q) => q.whereNull('published_at')),
    db('outbox').whereNull('published_at').orderBy('id').first(db.raw('TIMESTAMPDIFF(MICROSECOND, created_at, NOW(3)) as age_us')),
    boundedCount(db, 'callback_retry'),
    boundedCount(db, 'callback_dead_letter'),
  ])
  const age_us = (oldest as { age_us?: number | string } | undefined)?.age_us
  return { outboxUnpublished, outboxOldest_s: age_us === undefined ? 0 : Number(age_us) / 1e6, callbackRetriesWaiting, deadLetters }
}
