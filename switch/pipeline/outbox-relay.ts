// Publishes outbox rows that a process committed but did not get to publish (it died in between).
import type { PipelineStore } from '../store/pipeline-store.ts'
import type { BusProducer } from '../bus/message-bus.ts'
import type { Logger } from '../observability/logger.ts'
import { noCrashPoints, type CrashPoint } from './crash-points.ts'

export const RELAY_INTERVAL_MS = 2_000
export const STALE_AFTER_MS = 5_000
export const RELAY_ROWS_MAX = 1_000
/** Published rows are kept this long for inspection, then deleted. */
export const KEEP_PUBLISHED_MS = 3_600_000

export interface OutboxRelayDeps {
  store: PipelineStore
  producer: BusProducer
  log: Logger
  crash?: CrashPoint
}

/** One pass of the relay, without a timer: what startOutboxRelay runs every interval (and the simulation drives). */
export function createOutboxRelay(deps: OutboxRelayDeps): { relayOnce(): Promise<void> } {
  const crash = deps.crash ?? noCrashPoints
  const relayOnce = async () => {
    await deps.store.deletePublishedOutbox(KEEP_PUBLISHED_MS, RELAY_ROWS_MAX * 10)
    await deps.store.transaction(async ({ pipeline }) => {
      const rows = await pipeline.claimStaleOutbox(STALE_AFTER_MS, RELAY_ROWS_MAX)
      if (rows.length === 0) return
      await deps.producer.send(rows.map((r) => ({ topic: r.topic, key: r.key, value: r.payload })))
      crash('after-relay-publish')
      await pipeline.markPublished(rows.map((r) => r.id))
      deps.log.warn({ count: rows.length }, 'outbox relay published stale rows')
    })
  }
  return { relayOnce }
}

export function startOutboxRelay(deps: OutboxRelayDeps): { stop(): Promise<void> } {
  const { relayOnce } = createOutboxRelay(deps)
  let running: Promise<void> | undefined
  const timer = setInterval(() => {
    if (running) return
    running = relayOnce().catch((error) => deps.log.error({ err: error }, 'outbox relay failed')).finally(() => { running = undefined })
  }, RELAY_INTERVAL_MS)
  return {
    async stop() {
      clearInterval(timer)
      await running
    },
  }
}
