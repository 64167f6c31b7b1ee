// Publishes outbox rows that a process committed but did not get to publish (it died in between).
import type { Db } from '../../ledger/store/db.ts'
import type { BatchingProducer } from '../kafka/batching-producer.ts'
import type { Logger } from '../observability/logger.ts'
import { claimStale } from '../../ledger/store/outbox.ts'
import { noCrashPoints, type CrashPoint } from './crash-points.ts'

export const RELAY_INTERVAL_MS = 2_000
export const STALE_AFTER_MS = 5_000
export const RELAY_ROWS_MAX = 1_000
/** Published rows are kept this long for inspection, then deleted. */
export const KEEP_PUBLISHED_MS = 3_600_000

export function startOutboxRelay(deps: { db: Db; producer: BatchingProducer; log: Logger; crash?: CrashPoint }): { stop(): Promise<void> } {
  const crash = deps.crash ?? noCrashPoints
  let running: Promise<void> | undefined
  const relay = async () => {
    await deps.db('outbox').where('published_at', '<', deps.db.raw('NOW(3) - INTERVAL ? MICROSECOND', [KEEP_PUBLISHED_MS * 1000])).limit(RELAY_ROWS_MAX * 10).delete()
    await deps.db.transaction(async (trx) => {
      const rows = await claimStale(trx, STALE_AFTER_MS, RELAY_ROWS_MAX)
      if (rows.length === 0) return
      await deps.producer.send(rows.map((r) => ({ topic: r.topic, key: r.key, value: r.payload })))
      crash('after-relay-publish')
      await trx('outbox').whereIn('id', rows.map((r) => r.id)).update({ published_at: trx.fn.now(3) })
      deps.log.warn({ count: rows.length }, 'outbox relay published stale rows')
    })
  }
  const timer = setInterval(() => {
    if (running) return
    running = relay().catch((error) => deps.log.error({ err: error }, 'outbox relay failed')).finally(() => { running = undefined })
  }, RELAY_INTERVAL_MS)
  return {
    async stop() {
      clearInterval(timer)
      await running
    },
  }
}
