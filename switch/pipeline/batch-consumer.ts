// A Kafka consumer that handles whole batches with exactly-once effects. A stateful handler's batches go
// through merged-transactions.ts: one DB transaction (READ COMMITTED) for the partition batches of one
// fetch skips messages below each partition's stored next offset, applies the effects, writes the outbox
// rows and the new next offsets; then the rows are published and the offsets resolved. A stateless
// handler's batch is routed and its messages published. Kafka gets resolved offsets every
// OFFSET_COMMIT_INTERVAL_MS (never ahead of the DB: I7), not one round trip per batch.
// A crash anywhere redelivers; the transaction skips what already took effect; outbox rows whose
// publication was not yet marked are published again by the outbox relay (consumers recognise duplicates).
// A DFSP request's message carries `publishBy`: one Kafka appended after it (the request was answered 2003
// by then, publish-queue.ts) is dropped here, before any handler sees it.
// The consumer joins its group in the background of the switch's start; status() says whether it has
// joined and is fetching, for readiness.
import kafkajs, { type Consumer, type EachBatchPayload, type KafkaMessage } from 'kafkajs'
import type { Db } from '../../ledger/store/db.ts'
import type { PipelineStore } from '../store/pipeline-store.ts'
import type { Broker } from '../kafka/broker.ts'
import type { BatchingProducer } from '../kafka/batching-producer.ts'
import type { Logger } from '../observability/logger.ts'
import type { OutboxMessage } from '../store/outbox.ts'
import { createMergedTransactions, type BatchHandler, type Decoded } from './merged-transactions.ts'
import { createPublishedMarks } from './published-marks.ts'
import type { CrashPoint } from './crash-points.ts'

export const FETCH_BYTES_MAX = 4 * 1024 * 1024
/** Fetches wait this long for a message when a topic is idle (a fetch returns as soon as one arrives). */
export const FETCH_WAIT_MS_MAX = 100
/** How often resolved offsets are committed to Kafka: a crash redelivers at most this much, which is skipped or recognised. */
export const OFFSET_COMMIT_INTERVAL_MS = 250
/** Partition batches of one fetch handled at once (all of them, for the topics and partitions the switch creates). */
export const PARTITIONS_CONCURRENT_MAX = 32

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

/** A consumer that neither fetched nor finished a batch for this long is stalled (not ready). Idle fetches return every FETCH_WAIT_MS_MAX. */
export const CONSUMER_STALL_MS = 10_000

export interface ConsumerGroupTimings {
  sessionTimeout_ms: number
  heartbeatInterval_ms: number
  rebalanceTimeout_ms: number
}

export interface BatchConsumerOptions<T> {
  broker: Broker
  consumerGroup: ConsumerGroupTimings
  db: Db
  /** The units of work of the stateful handlers (ledger and switch tables in one transaction). */
  store: PipelineStore
  producer: BatchingProducer
  log: Logger
  groupId: string
  topics: string[]
  handler: BatchHandler<T> | StatelessBatchHandler<T>
  /** Fault injection of the crash suite; nothing in production. */
  crash?: CrashPoint
}

export interface ConsumerStatus {
  group: string
  /** Owns its share of the partitions (joined, and no rebalance or crash since). */
  joined: boolean
  /** Neither a fetch nor a batch's end for CONSUMER_STALL_MS. */
  stalled: boolean
}

export interface RunningConsumer {
  consumer: Consumer
  /** Resolves once the consumer first joined its group. */
  readonly joined: Promise<void>
  status(): ConsumerStatus
  stop(): Promise<void>
}

/** Connects, subscribes and joins in the background: `joined` resolves once it owns partitions. */
export function startBatchConsumer<T>(opts: BatchConsumerOptions<T>): RunningConsumer {
  const timings = opts.consumerGroup
  const consumer = opts.broker.kafka.consumer({
    groupId: opts.groupId, maxWaitTimeInMs: FETCH_WAIT_MS_MAX, minBytes: 1, maxBytes: FETCH_BYTES_MAX,
    sessionTimeout: timings.sessionTimeout_ms, heartbeatInterval: timings.heartbeatInterval_ms, rebalanceTimeout: timings.rebalanceTimeout_ms,
  })
  const handler = opts.handler
  const published = 'stateless' in handler ? undefined : createPublishedMarks(opts.store, opts.log)
  const merged = published && createMergedTransactions({ store: opts.store, log: opts.log, producer: opts.producer, published, groupId: opts.groupId, handler: handler as BatchHandler<T>, crash: opts.crash })
  let joined = false
  let lastProgressAt = Date.now()
  let batchesRunning = 0
  let markJoined: () => void
  const firstJoin = new Promise<void>((resolve) => (markJoined = resolve))
  const progress = () => { lastProgressAt = Date.now() }
  consumer.on(consumer.events.GROUP_JOIN, () => { joined = true; progress(); markJoined() })
  for (const left of [consumer.events.REBALANCING, consumer.events.CRASH, consumer.events.DISCONNECT, consumer.events.STOP]) consumer.on(left, () => { joined = false })
  consumer.on(consumer.events.FETCH, progress)
  consumer.on(consumer.events.START_BATCH_PROCESS, () => { batchesRunning++ })
  consumer.on(consumer.events.END_BATCH_PROCESS, () => { batchesRunning = Math.max(0, batchesRunning - 1); progress() })
  const run = () => consumer.run({
    autoCommit: true,
    autoCommitInterval: OFFSET_COMMIT_INTERVAL_MS,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: PARTITIONS_CONCURRENT_MAX,
    eachBatch: async (payload) => {
      try {
        await handleBatch(payload)
      } catch (error) {
        opts.log.error({ err: error, group: opts.groupId, topic: payload.batch.topic, partition: payload.batch.partition }, 'batch failed; Kafka will deliver it again')
        // A failed batch is always worth delivering again (its transaction rolled back). kafkajs stops a
        // consumer for good on an error it deems not retriable (Kafka refusing a produce, say) while the
        // process looks alive; as retriable, it retries the batch with backoff and then restarts the consumer.
        throw (error as { retriable?: boolean }).retriable === false ? new kafkajs.KafkaJSError(error as Error, { retriable: true }) : error
      }
    },
  })
  async function handleBatch({ batch, heartbeat, isRunning, isStale, resolveOffset }: EachBatchPayload): Promise<void> {
    if (!isRunning() || isStale() || batch.messages.length === 0) return
    const last = BigInt(batch.messages[batch.messages.length - 1]!.offset)
    const messages = batch.messages.map((m) => decode<T>(m)).filter((m) => {
      if (!appendedTooLate(m)) return true
      opts.log.warn({ group: opts.groupId, topic: batch.topic, partition: batch.partition, offset: String(m.offset), key: m.key, appendedAt: m.appendedAt, publishBy: m.publishBy },
        'a request\'s message reached Kafka after the request was answered 2003: dropped')
      return false
    })
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
  let stopped = false
  void (async () => {
    for (let attempt = 1; !stopped; attempt++) {
      try {
        await consumer.connect()
        for (const topic of opts.topics) await consumer.subscribe({ topic, fromBeginning: true })
        if (!stopped) await run()
        return
      } catch (error) {
        if (stopped) return
        opts.log.warn({ err: error, group: opts.groupId, attempt }, 'Kafka consumer not started yet; trying again')
        await consumer.disconnect().catch(() => {})
        await new Promise((resolve) => setTimeout(resolve, CONSUMER_START_RETRY_MS))
      }
    }
  })()
  return {
    consumer,
    joined: firstJoin,
    status: () => ({
      group: opts.groupId, joined,
      stalled: Date.now() - lastProgressAt > CONSUMER_STALL_MS && (joined || batchesRunning > 0),
    }),
    async stop() {
      stopped = true
      await consumer.disconnect()
      await published?.close()
    },
  }
}

/** A failed start (connect, subscribe or join, after kafkajs' own retries) is tried again after this long. */
export const CONSUMER_START_RETRY_MS = 1_000

type Received<T> = Decoded<T> & { appendedAt: number; publishBy: number | undefined }

function decode<T>(m: KafkaMessage): Received<T> {
  const value = JSON.parse(m.value!.toString()) as T
  const publishBy = (value as { publishBy?: unknown }).publishBy
  return { offset: BigInt(m.offset), key: m.key?.toString() ?? '', value, appendedAt: Number(m.timestamp), publishBy: typeof publishBy === 'number' ? publishBy : undefined }
}

/** The topic stamps the broker's append time (broker.ts); a message it appended after its `publishBy` was
 *  refused to the DFSP. The two clocks are assumed synchronised (NTP): a skew moves the line by as much. */
export function appendedTooLate(m: { appendedAt: number; publishBy: number | undefined }): boolean {
  return m.publishBy !== undefined && m.appendedAt > m.publishBy
}
