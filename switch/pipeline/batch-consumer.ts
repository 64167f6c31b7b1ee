// A Kafka consumer that handles whole batches, one partition at a time, with exactly-once effects:
//   1. work outside the database (e.g. HTTP callbacks), if the handler has any;
//   2. one DB transaction (READ COMMITTED: no gap locks, so batches of different partitions never
//      deadlock on the rows they insert): skip messages below the stored next offset, apply the batch's
//      effects, write its outbox rows and the new next offset;
//   3. publish the outbox rows, then resolve the offset; Kafka gets resolved offsets every
//      OFFSET_COMMIT_INTERVAL_MS (never ahead of the DB: I7), not one round trip per batch.
// A crash anywhere redelivers; step 2 skips what already took effect; outbox rows whose publication was
// not yet marked are published again by the outbox relay (consumers recognise duplicates).
import type { Consumer, EachBatchPayload, KafkaMessage } from 'kafkajs'
import type { Knex } from 'knex'
import type { Db } from '../../ledger/store/db.ts'
import type { Broker } from '../kafka/broker.ts'
import type { BatchingProducer } from '../kafka/batching-producer.ts'
import type { Logger } from '../observability/logger.ts'
import { lockNextOffset, readNextOffset, storeNextOffset } from '../../ledger/store/offsets.ts'
import { addToOutbox, markPublished, type OutboxMessage } from '../../ledger/store/outbox.ts'

export const FETCH_BYTES_MAX = 4 * 1024 * 1024
export const DB_RETRIES_MAX = 5
/** Fetches wait this long for a message when a topic is idle (a fetch returns as soon as one arrives). */
export const FETCH_WAIT_MS_MAX = 100
/** How often resolved offsets are committed to Kafka: a crash redelivers at most this much, which is skipped or recognised. */
export const OFFSET_COMMIT_INTERVAL_MS = 250
/** How often the outbox rows published since the last time are marked so. */
export const MARK_INTERVAL_MS = 100

export interface Decoded<T> {
  offset: bigint
  key: string
  value: T
}

export interface BatchHandler<T> {
  /** Optional work before the transaction; its result is passed to apply. */
  prepare?(messages: Decoded<T>[]): Promise<unknown>
  /** The batch's effects inside the transaction; returns the messages to publish after commit. */
  apply(trx: Knex.Transaction, messages: Decoded<T>[], prepared: unknown): Promise<OutboxMessage[]>
}

/**
 * A handler whose only effects are messages to publish (and, rarely, rows it writes itself): it needs no
 * transaction and no stored offsets. Its messages are produced, then the offset is committed to Kafka;
 * a crash in between delivers the batch again, so what it publishes must be safe to see twice.
 */
export interface StatelessBatchHandler<T> {
  stateless: true
  prepare?(messages: Decoded<T>[]): Promise<unknown>
  route(db: Db, messages: Decoded<T>[], prepared: unknown): Promise<OutboxMessage[]>
}

export interface BatchConsumerOptions<T> {
  broker: Broker
  db: Db
  producer: BatchingProducer
  log: Logger
  groupId: string
  topics: string[]
  handler: BatchHandler<T> | StatelessBatchHandler<T>
}

export interface RunningConsumer {
  consumer: Consumer
  stop(): Promise<void>
}

export async function startBatchConsumer<T>(opts: BatchConsumerOptions<T>): Promise<RunningConsumer> {
  const consumer = opts.broker.kafka.consumer({
    groupId: opts.groupId, maxWaitTimeInMs: FETCH_WAIT_MS_MAX, minBytes: 1, maxBytes: FETCH_BYTES_MAX, sessionTimeout: 30_000, heartbeatInterval: 3_000,
  })
  const published = createPublishedMarks(opts.db, opts.log)
  await consumer.connect()
  for (const topic of opts.topics) await consumer.subscribe({ topic, fromBeginning: true })
  await consumer.run({
    autoCommit: true,
    autoCommitInterval: OFFSET_COMMIT_INTERVAL_MS,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: 4,
    eachBatch: async (payload) => {
      try {
        await handleBatch(payload)
      } catch (error) {
        opts.log.error({ err: error, group: opts.groupId, topic: payload.batch.topic, partition: payload.batch.partition }, 'batch failed; Kafka will deliver it again')
        throw error
      }
    },
  })
  async function handleBatch({ batch, heartbeat, isRunning, isStale, resolveOffset }: EachBatchPayload): Promise<void> {
    if (!isRunning() || isStale() || batch.messages.length === 0) return
    const last = BigInt(batch.messages[batch.messages.length - 1]!.offset)
    const handler = opts.handler
    if ('stateless' in handler) {
      const messages = batch.messages.map((m) => decode<T>(m))
      const out = await handler.route(opts.db, messages, handler.prepare ? await handler.prepare(messages) : undefined)
      await opts.producer.send(out.map((m) => ({ topic: m.topic, key: m.key, value: m.payload })))
      resolveOffset(last.toString())
      await heartbeat()
      return
    }
    // What an earlier run already applied (a redelivery after a crash) is skipped before any outside work;
    // a handler without any needs no look: the transaction below skips it all the same.
    const applied = handler.prepare ? await readNextOffset(opts.db, opts.groupId, batch.topic, batch.partition) : undefined
    const decoded = batch.messages.filter((m) => applied === undefined || BigInt(m.offset) >= applied).map((m) => decode<T>(m))
    const prepared = handler.prepare && decoded.length > 0 ? await handler.prepare(decoded) : undefined
    const stored = await withRetries(opts.log, () => batchTransaction(opts.db, async (trx) => {
      const next = await lockNextOffset(trx, opts.groupId, batch.topic, batch.partition)
      const fresh = next === undefined ? decoded : decoded.filter((m) => m.offset >= next)
      const outbox = fresh.length > 0 ? await handler.apply(trx, fresh, prepared) : []
      const rows = await addToOutbox(trx, outbox)
      await storeNextOffset(trx, opts.groupId, batch.topic, batch.partition, last + 1n)
      return rows
    }))
    if (stored.length > 0) {
      await opts.producer.send(stored.map((m) => ({ topic: m.topic, key: m.key, value: m.payload })))
      published.mark(stored.map((m) => m.id))
    }
    resolveOffset(last.toString())
    await heartbeat()
  }
  return {
    consumer,
    async stop() {
      await consumer.disconnect()
      await published.close()
    },
  }
}

/**
 * A batch's transaction, READ COMMITTED: its locking reads of transfers that do not exist yet take no
 * gap locks, so batches of different partitions inserting transfers at once do not deadlock.
 */
export function batchTransaction<R>(db: Db, work: (trx: Knex.Transaction) => Promise<R>): Promise<R> {
  return db.transaction(work, { isolationLevel: 'read committed' })
}

/**
 * Marks outbox rows published off the batch's path: one UPDATE for all rows published since the last,
 * at most every MARK_INTERVAL_MS. A mark lost in a crash only means the relay publishes the row again.
 */
function createPublishedMarks(db: Db, log: Logger) {
  let pending: string[] = []
  let running: Promise<void> | undefined
  const flush = async () => {
    while (pending.length > 0) {
      const ids = pending
      pending = []
      await markPublished(db, ids).catch((error) => log.warn({ err: error, count: ids.length }, 'outbox rows not marked published; the relay will publish them again'))
    }
  }
  const timer = setInterval(() => { running ??= flush().finally(() => { running = undefined }) }, MARK_INTERVAL_MS)
  timer.unref()
  return {
    mark(ids: readonly string[]) {
      pending.push(...ids)
    },
    async close() {
      clearInterval(timer)
      await running
      await flush()
    },
  }
}

function decode<T>(m: KafkaMessage): Decoded<T> {
  return { offset: BigInt(m.offset), key: m.key?.toString() ?? '', value: JSON.parse(m.value!.toString()) as T }
}

/** Deadlocks and lock waits are retried: the transaction had no effect. */
async function withRetries<R>(log: Logger, work: () => Promise<R>): Promise<R> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work()
    } catch (error) {
      const code = (error as { code?: string }).code
      if (attempt >= DB_RETRIES_MAX || (code !== 'ER_LOCK_DEADLOCK' && code !== 'ER_LOCK_WAIT_TIMEOUT')) throw error
      log.warn({ attempt, code }, 'batch transaction retried')
      await new Promise((r) => setTimeout(r, 10 * attempt))
    }
  }
}
