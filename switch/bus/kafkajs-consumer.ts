// A consumer group member on kafkajs that hands the port's handler one fetch at a time (message-bus.ts).
// kafkajs gives each partition's batch of a fetch to its own eachBatch call, all started in the same turn
// of the event loop (partitionsConsumedConcurrently): the batches that arrive in one turn are collected and
// handed over together once that turn ends. Each eachBatch then resolves its offset or, when the handler
// rejected, throws so that kafkajs delivers the batch again. Resolved offsets are committed every
// OFFSET_COMMIT_INTERVAL_MS by a timer of this consumer, never ahead of the handler and off the fetch loop:
// kafkajs' own auto-commit commits after every batch, an OffsetCommit round trip between a handled fetch
// and the next one (a wait on every hop of every transfer, most felt at low load, where fetches are small).
// After a rebalance the offsets of the old assignment are dropped, not committed (the new owner redelivers
// at most that much, which is skipped or recognised). The consumer joins in the background and joins again after a crash.
import kafkajs, { type Consumer, type EachBatchPayload, type Kafka, type KafkaMessage } from 'kafkajs'
import type { Logger } from '../observability/logger.ts'
import type { BusConsumer, ConsumerSpec, PartitionBatch, ReceivedMessage } from './message-bus.ts'
import { traceFromHeaders } from './trace-context.ts'
import { SWITCH_PARTITION_ASSIGNERS } from './kafkajs-assigner.ts'

export const FETCH_BYTES_MAX = 4 * 1024 * 1024
/** Fetches wait this long for a message when a topic is idle (a fetch returns as soon as one arrives). */
export const FETCH_WAIT_MS_MAX = 100
/** How often resolved offsets are committed to Kafka: a crash redelivers at most this much, which is skipped or recognised. */
export const OFFSET_COMMIT_INTERVAL_MS = 250
/** How long a stopping consumer waits for its last offset commit before it leaves its group anyway. */
export const STOP_COMMIT_WAIT_MS_MAX = 2_000
/** Partition batches of one fetch handled at once (all of them, for the topics and partitions the switch creates). */
export const PARTITIONS_CONCURRENT_MAX = 32
/** A failed start (connect, subscribe or join, after kafkajs' own retries) is tried again after this long. */
export const CONSUMER_START_RETRY_MS = 1_000

export interface ConsumerGroupTimings {
  sessionTimeout_ms: number
  heartbeatInterval_ms: number
  rebalanceTimeout_ms: number
}

interface Waiting {
  batch: PartitionBatch
  resolve: () => void
  reject: (error: Error) => void
}

export function startKafkajsConsumer(kafka: Kafka, timings: ConsumerGroupTimings, spec: ConsumerSpec, log?: Logger): BusConsumer {
  const consumer: Consumer = kafka.consumer({
    groupId: spec.groupId, maxWaitTimeInMs: FETCH_WAIT_MS_MAX, minBytes: 1, maxBytes: FETCH_BYTES_MAX,
    sessionTimeout: timings.sessionTimeout_ms, heartbeatInterval: timings.heartbeatInterval_ms, rebalanceTimeout: timings.rebalanceTimeout_ms,
    partitionAssigners: SWITCH_PARTITION_ASSIGNERS,
  })
  let joined = false
  let lastProgressAt = Date.now()
  let batchesRunning = 0
  let markJoined: () => void
  const firstJoin = new Promise<void>((resolve) => (markJoined = resolve))
  const progress = () => { lastProgressAt = Date.now() }
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    joined = true
    progress()
    markJoined()
    log?.info({ group: spec.groupId, memberId: payload.memberId, protocol: payload.groupProtocol, assignment: payload.memberAssignment }, 'consumer group joined')
  })
  for (const left of [consumer.events.REBALANCING, consumer.events.CRASH, consumer.events.DISCONNECT, consumer.events.STOP]) consumer.on(left, () => { joined = false })
  consumer.on(consumer.events.FETCH, progress)
  consumer.on(consumer.events.START_BATCH_PROCESS, () => { batchesRunning++ })
  consumer.on(consumer.events.END_BATCH_PROCESS, () => { batchesRunning = Math.max(0, batchesRunning - 1); progress() })

  // Resolved, not yet committed: the next offset of each partition handled since the last commit.
  let uncommitted = new Map<string, { topic: string; partition: number; offset: string }>()
  for (const left of [consumer.events.GROUP_JOIN, consumer.events.REBALANCING]) consumer.on(left, () => { uncommitted = new Map() })
  let committing: Promise<void> | undefined
  const commit = (): Promise<void> => {
    if (committing || uncommitted.size === 0) return committing ?? Promise.resolve()
    const offsets = [...uncommitted.values()]
    uncommitted = new Map()
    committing = consumer.commitOffsets(offsets)
      .catch((error: unknown) => log?.warn({ err: error, group: spec.groupId }, 'offset commit failed; the next one covers it'))
      .finally(() => { committing = undefined })
    return committing
  }
  const commitTimer = setInterval(() => void commit(), OFFSET_COMMIT_INTERVAL_MS)
  commitTimer.unref()

  let waiting: Waiting[] = []
  async function handleFetch(): Promise<void> {
    const fetch = waiting.sort((a, b) => a.batch.topic.localeCompare(b.batch.topic) || a.batch.partition - b.batch.partition)
    waiting = []
    try {
      await spec.handle(fetch.map((w) => w.batch))
      // Which keys this member handled, for the owner checks (test/faults/scale-out.ts); at debug only.
      if (log?.isLevelEnabled('debug')) log.debug({ group: spec.groupId, batches: fetch.map((w) => ({ topic: w.batch.topic, partition: w.batch.partition, keys: [...new Set(w.batch.messages.map((m) => m.key))] })) }, 'fetch handled')
      for (const w of fetch) w.resolve()
    } catch (error) {
      log?.error({ err: error, group: spec.groupId, partitions: fetch.map((w) => `${w.batch.topic}[${w.batch.partition}]`) }, 'fetch failed; Kafka will deliver it again')
      for (const w of fetch) w.reject(error as Error)
    }
  }
  /** Joins the batches of this turn of the event loop; resolves once the handler accepted their fetch. */
  const handOver = (batch: PartitionBatch) => new Promise<void>((resolve, reject) => {
    if (waiting.push({ batch, resolve, reject }) === 1) setImmediate(() => void handleFetch())
  })

  async function eachBatch({ batch, heartbeat, isRunning, isStale, resolveOffset }: EachBatchPayload): Promise<void> {
    if (!isRunning() || isStale() || batch.messages.length === 0) return
    const last = BigInt(batch.messages[batch.messages.length - 1]!.offset)
    try {
      await handOver({ topic: batch.topic, partition: batch.partition, last, messages: batch.messages.map(received) })
    } catch (error) {
      // A failed fetch is always worth delivering again. kafkajs stops a consumer for good on an error it
      // deems not retriable (Kafka refusing a produce, say) while the process looks alive; as retriable, it
      // retries the batch with backoff and then restarts the consumer.
      throw (error as { retriable?: boolean }).retriable === false ? new kafkajs.KafkaJSError(error as Error, { retriable: true }) : error
    }
    resolveOffset(last.toString())
    uncommitted.set(`${batch.topic}|${batch.partition}`, { topic: batch.topic, partition: batch.partition, offset: (last + 1n).toString() })
    await heartbeat()
  }

  let stopped = false
  void (async () => {
    for (let attempt = 1; !stopped; attempt++) {
      try {
        await consumer.connect()
        for (const topic of spec.topics) await consumer.subscribe({ topic, fromBeginning: true })
        if (!stopped) {
          await consumer.run({
            autoCommit: false, eachBatchAutoResolve: false,
            partitionsConsumedConcurrently: PARTITIONS_CONCURRENT_MAX, eachBatch,
          })
        }
        return
      } catch (error) {
        if (stopped) return
        log?.warn({ err: error, group: spec.groupId, attempt }, 'Kafka consumer not started yet; trying again')
        await consumer.disconnect().catch(() => {})
        await new Promise((resolve) => setTimeout(resolve, CONSUMER_START_RETRY_MS))
      }
    }
  })()

  return {
    joined: firstJoin,
    state: () => ({ joined, handling: batchesRunning > 0, lastProgressAt }),
    async stop() {
      stopped = true
      clearInterval(commitTimer)
      // What was handled since the last commit, so a restart redelivers less; never holding the stop up for long.
      await Promise.race([(async () => { await committing; await commit() })(), new Promise((resolve) => setTimeout(resolve, STOP_COMMIT_WAIT_MS_MAX).unref())])
      await consumer.disconnect()
    },
  }
}

function received(m: KafkaMessage): ReceivedMessage {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(m.headers ?? {})) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? String(value[value.length - 1]) : value.toString()
  }
  return { offset: BigInt(m.offset), key: m.key?.toString() ?? '', value: m.value?.toString() ?? '', headers, appendedAt: Number(m.timestamp), trace: traceFromHeaders(headers) }
}
