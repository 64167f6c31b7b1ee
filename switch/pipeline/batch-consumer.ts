// A bus consumer that handles whole fetches with exactly-once effects. A stateful handler's fetch goes
// through merged-transactions.ts: one DB transaction (READ COMMITTED) for the partition batches of the
// fetch skips messages below each partition's stored next offset, applies the effects, writes the outbox
// rows and the new next offsets; then the rows are published and the fetch answered, so the bus commits
// its offsets (never ahead of the DB: I7). A stateless handler's batches are routed and their messages
// published. A crash anywhere redelivers; the transaction skips what already took effect; outbox rows whose
// publication was not yet marked are published again by the outbox relay (consumers recognise duplicates).
// A DFSP request's message carries `publishBy`: one the bus appended after it (the request was answered
// 2003 by then, publish-queue.ts) is dropped here, before any handler sees it.
// Each message keeps its sender's trace: what a handler publishes for it continues that trace (a fetch
// mixes many requests' messages), and a stateless handler's work for it runs in it. Each fetch's size and
// time are recorded per handler (its group) when metrics are given.
// The consumer joins its group in the background of the switch's start; status() says whether it has
// joined and is fetching, for readiness.
import type { Db } from '../../ledger/store/db.ts'
import type { PipelineStore } from '../store/pipeline-store.ts'
import type { BusProducer, MessageBus, PartitionBatch as BusBatch, ReceivedMessage } from '../bus/message-bus.ts'
import type { Logger } from '../observability/logger.ts'
import type { Metrics } from '../observability/metrics.ts'
import type { OutboxMessage } from '../store/outbox.ts'
import { createMergedTransactions, type BatchHandler, type Decoded, type PartitionBatch } from './merged-transactions.ts'
import { createPublishedMarks } from './published-marks.ts'
import type { CrashPoint } from './crash-points.ts'

/**
 * A handler whose only effects are messages to publish (and, rarely, rows it writes itself): it needs no
 * transaction and no stored offsets. Its messages are produced, then the fetch answered; a crash in
 * between delivers the batch again, so what it publishes must be safe to see twice.
 */
export interface StatelessBatchHandler<T> {
  stateless: true
  prepare?(messages: Decoded<T>[]): Promise<unknown>
  route(db: Db, messages: Decoded<T>[], prepared: unknown): Promise<OutboxMessage[]>
}

/** A consumer that neither fetched nor finished a batch for this long is stalled (not ready). Idle fetches return every FETCH_WAIT_MS_MAX (kafkajs-consumer.ts). */
export const CONSUMER_STALL_MS = 10_000

export interface BatchConsumerOptions<T> {
  bus: MessageBus
  db: Db
  /** The units of work of the stateful handlers (ledger and switch tables in one transaction). */
  store: PipelineStore
  producer: BusProducer
  log: Logger
  groupId: string
  topics: string[]
  handler: BatchHandler<T> | StatelessBatchHandler<T>
  /** Fault injection of the crash suite; nothing in production. */
  crash?: CrashPoint
  metrics?: Metrics
}

export interface ConsumerStatus {
  group: string
  /** Owns its share of the partitions (joined, and no rebalance or crash since). */
  joined: boolean
  /** Neither a fetch nor a batch's end for CONSUMER_STALL_MS. */
  stalled: boolean
}

export interface RunningConsumer {
  /** Resolves once the consumer first joined its group. */
  readonly joined: Promise<void>
  status(): ConsumerStatus
  stop(): Promise<void>
}

/** Connects, subscribes and joins in the background: `joined` resolves once it owns partitions. */
export function startBatchConsumer<T>(opts: BatchConsumerOptions<T>): RunningConsumer {
  const handler = opts.handler
  const published = 'stateless' in handler ? undefined : createPublishedMarks(opts.store, opts.log)
  const merged = published && createMergedTransactions({ store: opts.store, log: opts.log, producer: opts.producer, published, groupId: opts.groupId, handler: handler as BatchHandler<T>, crash: opts.crash })

  const decodeBatch = (batch: BusBatch): PartitionBatch<T> => ({
    topic: batch.topic, partition: batch.partition, last: batch.last,
    messages: batch.messages.map((m) => decode<T>(m)).filter((m) => {
      if (!appendedTooLate(m)) return true
      opts.log.warn({ group: opts.groupId, topic: batch.topic, partition: batch.partition, offset: String(m.offset), key: m.key, appendedAt: m.appendedAt, publishBy: m.publishBy },
        'a request\'s message reached Kafka after the request was answered 2003: dropped')
      return false
    }),
  })

  async function handle(fetch: readonly BusBatch[]): Promise<void> {
    const started = performance.now()
    await handleFetch(fetch)
    const labels = { handler: opts.groupId }
    opts.metrics?.batchSize.observe(labels, fetch.reduce((n, b) => n + b.messages.length, 0))
    opts.metrics?.batchDuration.observe(labels, (performance.now() - started) / 1000)
  }

  async function handleFetch(fetch: readonly BusBatch[]): Promise<void> {
    const batches = fetch.map(decodeBatch)
    if (merged) return merged.apply(batches)
    const stateless = handler as StatelessBatchHandler<T>
    await Promise.all(batches.map(async (b) => {
      const out = await stateless.route(opts.db, b.messages, stateless.prepare ? await stateless.prepare(b.messages) : undefined)
      await opts.producer.send(out.map((m) => ({ topic: m.topic, key: m.key, value: m.payload })))
    }))
    opts.crash?.('after-publish')
  }

  const consumer = opts.bus.consumer({ groupId: opts.groupId, topics: opts.topics, handle })
  return {
    joined: consumer.joined,
    status: () => {
      const s = consumer.state()
      return { group: opts.groupId, joined: s.joined, stalled: Date.now() - s.lastProgressAt > CONSUMER_STALL_MS && (s.joined || s.handling) }
    },
    async stop() {
      await consumer.stop()
      await published?.close()
    },
  }
}

type Received<T> = Decoded<T> & { appendedAt: number; publishBy: number | undefined }

function decode<T>(m: ReceivedMessage): Received<T> {
  const value = JSON.parse(m.value) as T
  const publishBy = (value as { publishBy?: unknown }).publishBy
  return { offset: m.offset, key: m.key, value, trace: m.trace, appendedAt: m.appendedAt, publishBy: typeof publishBy === 'number' ? publishBy : undefined }
}

/** The topics stamp the bus's append time (APPEND_TIME_CONFIG); a message it appended after its `publishBy`
 *  was refused to the DFSP. The two clocks are assumed synchronised (NTP): a skew moves the line by as much. */
export function appendedTooLate(m: { appendedAt: number; publishBy: number | undefined }): boolean {
  return m.publishBy !== undefined && m.appendedAt > m.publishBy
}
