// A Kafka consumer that handles whole batches with exactly-once effects. A stateful handler's batches go
// through merged-transactions.ts: one DB transaction (READ COMMITTED) for the partition batches of one
// fetch skips messages below each partition's stored next offset, applies the effects, writes the outbox
// rows and the new next offsets; then the rows are published and the offsets resolved. A stateless
// handler's batch is routed and its messages published. Kafka gets resolved offsets every
// OFFSET_COMMIT_INTERVAL_MS (never ahead of the DB: I7), not one round trip per batch.
// A crash anywhere redelivers; the transaction skips what already took effect; outbox rows whose
// publication was not yet marked are published again by the outbox relay (consumers recognise duplicates).
import type { Consumer, EachBatchPayload, KafkaMessage } from 'kafkajs'
import type { Db } from '../../ledger/store/db.ts'
import type { Broker } from '../kafka/broker.ts'
import type { BatchingProducer } from '../kafka/batching-producer.ts'
import type { Logger } from '../observability/logger.ts'
import type { OutboxMessage } from '../../ledger/store/outbox.ts'
import { createMergedTransactions, type BatchHandler, type Decoded } from './merged-transactions.ts'
import { createPublishedMarks } from './published-marks.ts'
import type { CrashPoint } from './crash-points.ts'
import { KAFKA_SESSION_TIMEOUT_MS } from '../config.ts'

export const FETCH_BYTES_MAX = 4 * 1024 * 1024
/** Fetches wait this long for a message when a topic is idle (a fetch returns as soon as one arrives). */
export const FETCH_WAIT_MS_MAX = 100
/** How often resolved offsets are committed to Kafka: a crash redelivers at most this much, which is skipped or recognised. */
export const OFFSET_COMMIT_INTERVAL_MS = 250
/** Partition batches of one fetch handled at once (all of them, for the topics and partitions the switch creates). */
export const PARTITIONS_CONCURRENT_MAX = 32
/** Heartbeats go at most this often (and at least three times per session timeout). */
export const HEARTBEAT_INTERVAL_MS_MAX = 3_000

/**
 * A handler whose only effects are messages to publish (and, rarely, rows it writes itself): it needs no
 * transaction and no stored offsets. Its messages are produced, then the offset is resolved; a crash in
 * between delivers the batch again, so what it publishes must be safe to see twice.
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
  /** Fault injection of the crash suite; nothing in production. */
  crash?: CrashPoint
}

export interface RunningConsumer {
  consumer: Consumer
  stop(): Promise<void>
}

export async function startBatchConsumer<T>(opts: BatchConsumerOptions<T>): Promise<RunningConsumer> {
  const sessionTimeout = opts.broker.sessionTimeout_ms ?? KAFKA_SESSION_TIMEOUT_MS
  const consumer = opts.broker.kafka.consumer({
    groupId: opts.groupId, maxWaitTimeInMs: FETCH_WAIT_MS_MAX, minBytes: 1, maxBytes: FETCH_BYTES_MAX,
    sessionTimeout, heartbeatInterval: Math.min(HEARTBEAT_INTERVAL_MS_MAX, Math.floor(sessionTimeout / 3)),
  })
  const handler = opts.handler
  const published = 'stateless' in handler ? undefined : createPublishedMarks(opts.db, opts.log)
  const merged = published && createMergedTransactions({ db: opts.db, log: opts.log, producer: opts.producer, published, groupId: opts.groupId, handler: handler as BatchHandler<T>, crash: opts.crash })
  await consumer.connect()
  for (const topic of opts.topics) await consumer.subscribe({ topic, fromBeginning: true })
  await consumer.run({
    autoCommit: true,
    autoCommitInterval: OFFSET_COMMIT_INTERVAL_MS,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: PARTITIONS_CONCURRENT_MAX,
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
    const messages = batch.messages.map((m) => decode<T>(m))
    if (merged) {
      await merged.apply({ topic: batch.topic, partition: batch.partition, last, messages })
    } else {
      const stateless = handler as StatelessBatchHandler<T>
      const out = await stateless.route(opts.db, messages, stateless.prepare ? await stateless.prepare(messages) : undefined)
      await opts.producer.send(out.map((m) => ({ topic: m.topic, key: m.key, value: m.payload })))
      opts.crash?.('after-publish')
    }
    resolveOffset(last.toString())
    await heartbeat()
  }
  return {
    consumer,
    async stop() {
      await consumer.disconnect()
      await published?.close()
    },
  }
}

function decode<T>(m: KafkaMessage): Decoded<T> {
  return { offset: BigInt(m.offset), key: m.key?.toString() ?? '', value: JSON.parse(m.value!.toString()) as T }
}
