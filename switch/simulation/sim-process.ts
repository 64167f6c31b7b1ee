// One switch process of the simulation, all roles in one (as `agora start` runs): the position consumer
// through merged transactions, the notification consumer, the callback retrier, the timeout scan and the
// outbox relay, built from the real pipeline code on the memory store and the simulation's log, clock and
// network. Everything here is process state: a crash throws the object away, and a new one starts from
// what is durable (the store, the log and its committed offsets).
import type { Db } from '../../ledger/store/db.ts'
import { silentLogger } from '../observability/logger.ts'
import type { CrashPointName } from '../config.ts'
import type { CallbackSender } from '../fspiop/callbacks.ts'
import type { PipelineStore } from '../store/pipeline-store.ts'
import { createMergedTransactions, type Decoded, type MergedTransactions } from '../pipeline/merged-transactions.ts'
import { createPublishedMarks, type PublishedMarks } from '../pipeline/published-marks.ts'
import { positionHandler } from '../pipeline/position-handler.ts'
import { notificationHandler } from '../pipeline/notification-handler.ts'
import { startCallbackRetrier, type CallbackRetrier } from '../pipeline/callback-retrier.ts'
import { createCircuitBreakers } from '../pipeline/circuit-breaker.ts'
import { createRecipientBudget } from '../pipeline/recipient-budget.ts'
import { createAnswerTimes } from '../pipeline/answer-times.ts'
import { createTimeoutScan } from '../pipeline/timeout-scanner.ts'
import { createOutboxRelay } from '../pipeline/outbox-relay.ts'
import { appendedTooLate } from '../pipeline/batch-consumer.ts'
import { TOPICS, type Notification, type PositionTopicMessage } from '../pipeline/messages.ts'
import { ATTEMPT_TIMEOUT_MS, BACKOFF_FIRST_MS } from '../fspiop/callbacks.ts'
import { SimConsumer, type FetchedBatch, type SimLog, type SimConsumerOptions } from './sim-log.ts'
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
  log: SimLog
  clock: SimClock
  network: CallbackSender
  prng: Prng
  consumer?: SimConsumerOptions
}

export class SwitchProcess {
  dead = false
  /** The crash point the process died at, if it died at one. */
  diedAt: CrashPointName | undefined
  private armed: { point: CrashPointName; left: number } | undefined
  readonly positionConsumer: SimConsumer
  readonly notificationConsumer: SimConsumer
  private readonly published: PublishedMarks
  private readonly merged: MergedTransactions<PositionTopicMessage>
  private readonly notifications: ReturnType<typeof notificationHandler>
  readonly retrier: CallbackRetrier
  private readonly scan: ReturnType<typeof createTimeoutScan>
  private readonly relay: ReturnType<typeof createOutboxRelay>

  constructor(private readonly deps: ProcessDeps) {
    const log = silentLogger()
    const producer = deps.log.producer()
    const now_ms = () => deps.clock.now_ms()
    const crash = (point: CrashPointName) => {
      if (this.armed?.point === point && --this.armed.left <= 0) {
        this.dead = true
        this.diedAt = point
        throw new SimulatedCrash(point)
      }
    }
    this.positionConsumer = new SimConsumer(deps.log, POSITION_GROUP, [topic(TOPICS.prepare), topic(TOPICS.position)], deps.consumer)
    this.notificationConsumer = new SimConsumer(deps.log, NOTIFICATION_GROUP, [topic(TOPICS.notification)], deps.consumer)
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
  }

  /** The next passage of `point` crashes the process (after `countdown - 1` passages that do not). */
  arm(point: CrashPointName, countdown: number): void {
    this.armed = { point, left: countdown }
  }

  /** One fetch of the position consumer, applied as the batch consumer does: one unit of work for all its partitions. */
  async positionFetch(all = false): Promise<number> {
    const batches = this.positionConsumer.fetch(this.deps.prng, all)
    if (batches.length === 0) return 0
    try {
      await this.merged.apply(batches.map((b) => ({ topic: b.topic, partition: b.partition, last: b.last, messages: decode<PositionTopicMessage>(b) })))
    } catch (error) {
      this.positionConsumer.rewind(batches)
      if (!(error instanceof SimulatedCrash)) throw error
      return 0
    }
    this.positionConsumer.resolve(batches)
    return batches.reduce((n, b) => n + b.messages.length, 0)
  }

  /** One fetch of the notification consumer: each partition's callbacks tried and routed as batch-consumer.ts does. */
  async notificationFetch(all = false): Promise<number> {
    const batches = this.notificationConsumer.fetch(this.deps.prng, all)
    for (const b of batches) {
      const messages = decode<Notification>(b)
      const out = await this.notifications.route(undefined as unknown as Db, messages, await this.notifications.prepare!(messages))
      await this.deps.log.producer().send(out.map((m) => ({ topic: m.topic, key: m.key, value: m.payload })))
    }
    this.notificationConsumer.resolve(batches)
    return batches.reduce((n, b) => n + b.messages.length, 0)
  }

  commitOffsets(): void {
    this.positionConsumer.commit()
    this.notificationConsumer.commit()
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
function decode<T>(batch: FetchedBatch): Decoded<T>[] {
  return batch.messages.flatMap((m) => {
    const value = JSON.parse(m.value) as T
    const publishBy = (value as { publishBy?: unknown }).publishBy
    if (appendedTooLate({ appendedAt: m.appendedAt, publishBy: typeof publishBy === 'number' ? publishBy : undefined })) return []
    return [{ offset: m.offset, key: m.key, value }]
  })
}
