// One DB transaction for the partition batches that one Kafka fetch hands out together. kafkajs gives
// each partition's batch to its own eachBatch call; those that start in the same turn of the event loop
// are applied in one transaction: each partition's messages in their order, below its stored next offset
// skipped, the positions they touch locked once, one commit, every partition's next offset stored in it.
// So the partitions of one process never wait for each other's row locks (a commit credits payees that
// other partitions own), and a fetch costs one commit instead of one per partition.
import type { Logger } from '../observability/logger.ts'
import type { OutboxMessage } from '../store/outbox.ts'
import type { PipelineStore, UnitOfWork } from '../store/pipeline-store.ts'
import type { BatchingProducer } from '../kafka/batching-producer.ts'
import type { PublishedMarks } from './published-marks.ts'
import { noCrashPoints, type CrashPoint } from './crash-points.ts'

export const DB_RETRIES_MAX = 5

export interface Decoded<T> {
  offset: bigint
  key: string
  value: T
}

export interface BatchHandler<T> {
  /** The batch's effects inside the unit of work; returns the messages to publish after commit. */
  apply(uow: UnitOfWork, messages: Decoded<T>[]): Promise<OutboxMessage[]>
}

export interface PartitionBatch<T> {
  topic: string
  partition: number
  /** Offset of the batch's last message. */
  last: bigint
  messages: Decoded<T>[]
}

export interface MergedTransactions<T> {
  /** Applies the batch with the others of its turn; resolves once committed and its messages published. */
  apply(batch: PartitionBatch<T>): Promise<void>
}

interface Waiting<T> extends PartitionBatch<T> {
  resolve: () => void
  reject: (error: Error) => void
}

export interface MergedTransactionsDeps<T> {
  store: PipelineStore
  log: Logger
  producer: BatchingProducer
  published: PublishedMarks
  groupId: string
  handler: BatchHandler<T>
  /** Fault injection of the crash suite; nothing in production. */
  crash?: CrashPoint
}

export function createMergedTransactions<T>(deps: MergedTransactionsDeps<T>): MergedTransactions<T> {
  let waiting: Waiting<T>[] = []
  const crash = deps.crash ?? noCrashPoints

  async function flush(): Promise<void> {
    const batches = waiting.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition) // offset rows locked in one order
    waiting = []
    try {
      const stored = await withRetries(deps.log, () => deps.store.batch(async (uow) => {
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
      crash('after-db-commit')
      if (stored.length > 0) {
        await deps.producer.send(stored.map((m) => ({ topic: m.topic, key: m.key, value: m.payload })))
        crash('after-publish')
        deps.published.mark(stored.map((m) => m.id))
      }
      for (const b of batches) b.resolve()
    } catch (error) {
      for (const b of batches) b.reject(error as Error)
    }
  }

  return {
    apply(batch) {
      return new Promise((resolve, reject) => {
        if (waiting.push({ ...batch, resolve, reject }) === 1) setImmediate(() => void flush())
      })
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
