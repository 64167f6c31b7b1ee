// One DB transaction for the partition batches of one fetch, which the bus hands over together
// (message-bus.ts, `handle(fetch)`): each partition's messages in their order, below its stored next
// offset skipped, the positions they touch locked once, one commit, every partition's next offset stored in it.
// So the partitions of one process never wait for each other's row locks (a commit credits payees that
// other partitions own), and a fetch costs one commit instead of one per partition.
import type { Context } from '@opentelemetry/api'
import type { Logger } from '../observability/logger.ts'
import type { OutboxMessage } from '../store/outbox.ts'
import type { PipelineStore, UnitOfWork } from '../store/pipeline-store.ts'
import type { BusProducer } from '../bus/message-bus.ts'
import type { PublishedMarks } from './published-marks.ts'
import { noCrashPoints, type CrashPoint } from './crash-points.ts'

export const DB_RETRIES_MAX = 5

export interface Decoded<T> {
  offset: bigint
  key: string
  value: T
  /** The sender's trace (from the message's `traceparent`): what the handler publishes for it continues it. */
  trace?: Context
}

/** The unit of work of one batch, with what to do once it is committed (run once, after the commit that
 *  took effect: never for an attempt rolled back and retried). */
export interface BatchUnitOfWork extends UnitOfWork {
  afterCommit?(effect: () => void): void
}

export interface BatchHandler<T> {
  /** The batch's effects inside the unit of work; returns the messages to publish after commit. */
  apply(uow: BatchUnitOfWork, messages: Decoded<T>[]): Promise<OutboxMessage[]>
}

export interface PartitionBatch<T> {
  topic: string
  partition: number
  /** Offset of the batch's last message. */
  last: bigint
  messages: Decoded<T>[]
}

export interface MergedTransactions<T> {
  /** Applies one fetch's batches (at most one per partition) in one transaction; resolves once committed
   *  and their messages published, rejects when nothing of it took effect or its messages are not all out. */
  apply(fetch: readonly PartitionBatch<T>[]): Promise<void>
}

export interface MergedTransactionsDeps<T> {
  store: PipelineStore
  log: Logger
  producer: BusProducer
  published: PublishedMarks
  groupId: string
  handler: BatchHandler<T>
  /** Fault injection of the crash suite; nothing in production. */
  crash?: CrashPoint
}

export function createMergedTransactions<T>(deps: MergedTransactionsDeps<T>): MergedTransactions<T> {
  const crash = deps.crash ?? noCrashPoints
  return {
    async apply(fetch) {
      if (fetch.length === 0) return
      const batches = [...fetch].sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition) // offset rows locked in one order
      let committed: (() => void)[] = []
      const stored = await withRetries(deps.log, () => deps.store.batch(async (tx) => {
        const effects: (() => void)[] = (committed = [])
        const uow: BatchUnitOfWork = { ...tx, afterCommit: (effect) => effects.push(effect) }
        const fresh: Decoded<T>[] = []
        for (const b of batches) {
          const next = await uow.pipeline.lockNextOffset(deps.groupId, b.topic, b.partition)
          fresh.push(...(next === undefined ? b.messages : b.messages.filter((m) => m.offset >= next)))
        }
        const rows = await uow.pipeline.addToOutbox(fresh.length > 0 ? await deps.handler.apply(uow, fresh) : [])
        for (const b of batches) await uow.pipeline.storeNextOffset(deps.groupId, b.topic, b.partition, b.last + 1n)
        crash('in-db-transaction')
        return rows
      }))
      for (const effect of committed) effect()
      crash('after-db-commit')
      if (stored.length > 0) {
        await deps.producer.send(stored.map((m) => ({ topic: m.topic, key: m.key, value: m.payload, trace: m.trace })))
        crash('after-publish')
        deps.published.mark(stored.map((m) => m.id))
      }
    },
  }
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
