// A Kafka consumer that handles whole batches, one partition at a time, with exactly-once effects:
//   1. work outside the database (e.g. HTTP callbacks), if the handler has any;
//   2. one DB transaction: skip messages below the stored next offset, apply the batch's effects, write
//      its outbox rows and the new next offset;
//   3. publish the outbox rows, then commit the offset to Kafka (never ahead of the DB: I7).
// A crash anywhere redelivers; step 2 skips what already took effect; stale outbox rows are published
// by the outbox relay.
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
    groupId: opts.groupId, maxWaitTimeInMs: 5, minBytes: 1, maxBytes: FETCH_BYTES_MAX, sessionTimeout: 30_000, heartbeatInterval: 3_000,
  })
  await consumer.connect()
  for (const topic of opts.topics) await consumer.subscribe({ topic, fromBeginning: true })
  await consumer.run({
    autoCommit: false,
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
      await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (last + 1n).toString() }])
      await heartbeat()
      return
    }
    // What an earlier run already applied (a redelivery after a crash) is skipped before any work.
    const applied = await readNextOffset(opts.db, opts.groupId, batch.topic, batch.partition)
    const decoded = batch.messages.filter((m) => applied === undefined || BigInt(m.offset) >= applied).map((m) => decode<T>(m))
    const prepared = handler.prepare && decoded.length > 0 ? await handler.prepare(decoded) : undefined
    const published = await withRetries(opts.log, () => opts.db.transaction(async (trx) => {
      const next = await lockNextOffset(trx, opts.groupId, batch.topic, batch.partition)
      const fresh = next === undefined ? decoded : decoded.filter((m) => m.offset >= next)
      const outbox = fresh.length > 0 ? await handler.apply(trx, fresh, prepared) : []
      const stored = await addToOutbox(trx, outbox)
      await storeNextOffset(trx, opts.groupId, batch.topic, batch.partition, last + 1n)
      return stored
    }))
    if (published.length > 0) {
      await opts.producer.send(published.map((m) => ({ topic: m.topic, key: m.key, value: m.payload })))
      await markPublished(opts.db, published.map((m) => m.id))
    }
    resolveOffset(last.toString())
    await consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: (last + 1n).toString() }])
    await heartbeat()
  }
  return { consumer, stop: () => consumer.disconnect() }
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
