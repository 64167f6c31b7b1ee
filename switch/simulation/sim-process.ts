// One switch process of the simulation, all roles in one (as `agora start` runs): the position consumer
// through merged transactions, the notification consumer, the callback retrier, the timeout scan and the
// outbox relay, built from the real pipeline code on the memory store, the in-memory bus, the simulated clock and
// network. Everything here is process state: a crash throws the object away, and a new one starts from
// what is durable (the store, the bus's log and its committed offsets).
import type { Db } from '../../ledger/store/db.ts'
import { silentLogger } from '../observability/logger.ts'
import type { CrashPointName } from '../config/config.ts'
import type { CallbackSender } from '../pipeline/callbacks.ts'
import type { PipelineStore } from '../store/pipeline-store.ts'
import { createMergedTransactions, type Decoded, type MergedTransactions } from '../pipeline/merged-transactions.ts'
import { createPublishedMarks, type PublishedMarks } from '../pipeline/published-marks.ts'
import { positionHandler } from '../transfers/position-handler.ts'
import { notificationHandler } from '../pipeline/notification-handler.ts'
import { startCallbackRetrier, type CallbackRetrier } from '../pipeline/callback-retrier.ts'
import { createCircuitBreakers } from '../pipeline/circuit-breaker.ts'
import { createRecipientBudget } from '../pipeline/recipient-budget.ts'
import { createAnswerTimes } from '../pipeline/answer-times.ts'
import { createTimeoutScan } from '../transfers/timeout-scanner.ts'
import { createOutboxRelay } from '../pipeline/outbox-relay.ts'
import { appendedTooLate } from '../pipeline/batch-consumer.ts'
import { TOPICS, type Notification, type PositionTopicMessage } from '../pipeline/messages.ts'
import { ATTEMPT_TIMEOUT_MS, BACKOFF_FIRST_MS } from '../pipeline/callbacks.ts'
import type { BusConsumer, BusProducer, PartitionBatch, ReceivedMessage } from '../bus/message-bus.ts'
import type { MemoryBus } from '../bus/memory-bus.ts'
import type { SimClock } from './sim-clock.ts'
import type { Prng } from './prng.ts'

export const HUB_NAME = 'Hub'
export const POSITION_GROUP = 'sim.position'
export const NOTIFICATION_GROUP = 'sim.notification'
export const topic = (name: string): string => `sim.${name}`

/** Thrown at an armed crash point: the process is dead from there on. */
export class SimulatedCrash extends Error {
  constructor(readonly point: string) {
    super(`simulated crash at ${point}`)
  }
}

export interface ProcessDeps {
  store: PipelineStore
  bus: MemoryBus
  clock: SimClock
  network: CallbackSender
  prng: Prng
  /** Mutant: the position consumer answers the bus before its fetch's effects are stored, so the bus commits ahead of them (I7). */
  answerBeforeEffects?: boolean
}

export class SwitchProcess {
  dead = false
  /** The crash point the process died at, if it died at one. */
  diedAt: CrashPointName | undefined
  private armed: { point: CrashPointName; left: number } | undefined
  /** What the pipeline threw that was no simulated crash (a bug). */
  failure: Error | undefined
  private readonly consumers: BusConsumer[]
  private readonly producer: BusProducer
  private readonly published: PublishedMarks
  private readonly merged: MergedTransactions<PositionTopicMessage>
  private readonly notifications: ReturnType<typeof notificationHandler>
  readonly retrier: CallbackRetrier
  private readonly scan: ReturnType<typeof createTimeoutScan>
  private readonly relay: ReturnType<typeof createOutboxRelay>

  constructor(private readonly deps: ProcessDeps) {
    const log = silentLogger()
    const producer = (this.producer = deps.bus.producer())
    const now_ms = () => deps.clock.now_ms()
    const crash = (point: CrashPointName) => {
      if (this.armed?.point === point && --this.armed.left <= 0) {
        this.dead = true
        this.diedAt = point
        throw new SimulatedCrash(point)
      }
    }
    this.published = createPublishedMarks(deps.store, log, { timer: false })
    this.merged = createMergedTransactions({
      store: deps.store, log, producer, published: this.published, groupId: POSITION_GROUP, crash,
      handler: positionHandler({ hubName: HUB_NAME, topic, now: () => deps.clock.now() }),
    })
    const delivery = {
      retries: deps.store.callbackRetries, sender: deps.network, log, backoffFirst_ms: BACKOFF_FIRST_MS,
      breakers: createCircuitBreakers({ now_ms }), budget: createRecipientBudget(), answerTimes: createAnswerTimes(),
      now_ms, random: () => deps.prng.next(),
    }
    this.notifications = notificationHandler({ ...delivery, attemptTimeout_ms: ATTEMPT_TIMEOUT_MS })
    this.retrier = startCallbackRetrier({ ...delivery, timers: false })
    this.scan = createTimeoutScan({ store: deps.store, producer, topic, log, now_ms })
    this.relay = createOutboxRelay({ store: deps.store, producer, log, crash })
    const position = (fetch: readonly PartitionBatch[]) => this.guarded(this.positionFetch(fetch))
    this.consumers = [
      deps.bus.consumer({ groupId: POSITION_GROUP, topics: [topic(TOPICS.prepare), topic(TOPICS.position)], handle: deps.answerBeforeEffects ? async (f) => { void position(f).catch(() => {}) } : position }),
      deps.bus.consumer({ groupId: NOTIFICATION_GROUP, topics: [topic(TOPICS.notification)], handle: (fetch) => this.guarded(this.notificationFetch(fetch)) }),
    ]
  }

  /** The process dies: its consumers leave the group (what they were handling is not committed). */
  kill(): void {
    this.dead = true
    for (const c of this.consumers) void c.stop()
  }

  /** A dead process does nothing more; what the pipeline throws that is no simulated crash is kept as a finding. */
  private async guarded(work: Promise<void>): Promise<void> {
    try {
      await work
    } catch (error) {
      if (!(error instanceof SimulatedCrash)) this.failure ??= error as Error
      throw error
    }
    if (this.dead) throw new SimulatedCrash('dead')
  }

  /** The next passage of `point` crashes the process (after `countdown - 1` passages that do not). */
  arm(point: CrashPointName, countdown: number): void {
    this.armed = { point, left: countdown }
  }

  /** One fetch of the position consumer, applied as the batch consumer does: one unit of work for all its partitions. */
  private async positionFetch(fetch: readonly PartitionBatch[]): Promise<void> {
    if (this.dead) throw new SimulatedCrash('dead')
    await this.merged.apply(fetch.map((b) => ({ topic: b.topic, partition: b.partition, last: b.last, messages: decode<PositionTopicMessage>(b.messages) })))
  }

  /** One fetch of the notification consumer: each partition's callbacks tried and routed as batch-consumer.ts does. */
  private async notificationFetch(fetch: readonly PartitionBatch[]): Promise<void> {
    if (this.dead) throw new SimulatedCrash('dead')
    for (const b of fetch) {
      const messages = decode<Notification>(b.messages)
      const out = await this.notifications.route(undefined as unknown as Db, messages, await this.notifications.prepare!(messages))
      await this.producer.send(out.map((m) => ({ topic: m.topic, key: m.key, value: m.payload })))
    }
  }

  flushMarks(): Promise<void> {
    return this.published.flush()
  }

  scanOnce(): Promise<number> {
    return this.scan.scanOnce()
  }

  async relayOnce(): Promise<void> {
    try {
      await this.relay.relayOnce()
    } catch (error) {
      if (!(error instanceof SimulatedCrash)) throw error
    }
  }

  retryOnce(): Promise<number> {
    return this.retrier.retryOnce()
  }
}

/** What batch-consumer.ts decodes of a message; one Kafka appended after its publishBy is dropped. */
function decode<T>(messages: readonly ReceivedMessage[]): Decoded<T>[] {
  return messages.flatMap((m) => {
    const value = JSON.parse(m.value) as T
    const publishBy = (value as { publishBy?: unknown }).publishBy
    if (appendedTooLate({ appendedAt: m.appendedAt, publishBy: typeof publishBy === 'number' ? publishBy : undefined })) return []
    return [{ offset: m.offset, key: m.key, value }]
  })
}
