// Marks outbox rows published off a batch's path: one UPDATE for all rows published since the last, at
// most every MARK_INTERVAL_MS. A mark lost in a crash only means the outbox relay publishes the row again.
import type { Logger } from '../observability/logger.ts'
import type { PipelineStore } from '../store/pipeline-store.ts'

/** How often the outbox rows published since the last time are marked so. */
export const MARK_INTERVAL_MS = 100

export interface PublishedMarks {
  mark(ids: readonly string[]): void
  /** Marks what is pending now (the timer does it every MARK_INTERVAL_MS). */
  flush(): Promise<void>
  close(): Promise<void>
}

/** `timer: false`: no timer; the caller flushes (the deterministic simulation). */
export function createPublishedMarks(store: Pick<PipelineStore, 'markPublished'>, log: Logger, opts: { timer?: boolean } = {}): PublishedMarks {
  let pending: string[] = []
  let running: Promise<void> | undefined
  const flush = async () => {
    while (pending.length > 0) {
      const ids = pending
      pending = []
      await store.markPublished(ids).catch((error) => log.warn({ err: error, count: ids.length }, 'outbox rows not marked published; the relay will publish them again'))
    }
  }
  const timer = opts.timer === false ? undefined : setInterval(() => { running ??= flush().finally(() => { running = undefined }) }, MARK_INTERVAL_MS)
  timer?.unref()
  return {
    mark(ids) {
      pending.push(...ids)
    },
    flush,
    async close() {
      clearInterval(timer)
      await running
      await flush()
    },
  }
}
