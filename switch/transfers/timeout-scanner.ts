// The timeout process: every interval, finds RESERVED transfers past their expiration and asks the
// position handler that owns each payer's position (a conversion's dependent transfer: the conversion's
// owner) to expire it (which releases the reservation and
// sends 3303 to payer and payee). Several replicas can run: rows are claimed with SKIP LOCKED, and an
// expiry that arrives twice is ignored by the position handler.
import type { PipelineStore, PipelineTx } from '../store/pipeline-store.ts'
import type { FxTransferRow } from '../store/fx-transfers.ts'
import type { BusProducer } from '../bus/message-bus.ts'
import type { Logger } from '../observability/logger.ts'
import { TOPICS, type PositionMessage } from '../pipeline/messages.ts'

export const SCAN_INTERVAL_MS = 1_000
export const SCAN_ROWS_MAX = 1_000
/** An expiry already sent is not sent again for this long (the position handler is catching up). */
export const RESEND_AFTER_MS = 10_000

export interface TimeoutScanner {
  scanOnce(): Promise<number>
  stop(): Promise<void>
}

export interface TimeoutScanDeps {
  store: PipelineStore
  producer: BusProducer
  topic: (n: string) => string
  log: Logger
  /** The clock (Date.now); the simulation's in switch/simulation. */
  now_ms?: () => number
}

/** One scanner's scans, without a timer: what startTimeoutScanner runs every interval (and the simulation drives). */
export function createTimeoutScan(deps: TimeoutScanDeps): Pick<TimeoutScanner, 'scanOnce'> {
  const sent = new Map<string, number>()
  const now_ms = deps.now_ms ?? Date.now

  async function scanOnce(): Promise<number> {
    const now = now_ms()
    for (const [id, at] of sent) if (now - at > RESEND_AFTER_MS) sent.delete(id)
    const messages = await deps.store.transaction(async ({ ledger, pipeline }) => {
      const rows = await ledger.claimExpiredTransfers(SCAN_ROWS_MAX)
      const fresh = rows.filter((r) => !sent.has(r.id))
      const conversions = await conversionsOf(pipeline, fresh.map((r) => r.id))
      const out = fresh.map((r) => {
        const fx = conversions.get(r.id)
        const owner = fx?.owner_account_id ?? r.payer_account_id
        const m: PositionMessage = { kind: 'expire', transferId: r.id, payerAccountId: owner, ...(fx ? { commitRequestId: fx.commit_request_id } : {}) }
        return { topic: deps.topic(TOPICS.position), key: String(owner), value: JSON.stringify(m) }
      })
      // Sent while the rows are claimed, so another replica does not send them at the same moment.
      await deps.producer.send(out)
      return fresh
    })
    for (const r of messages) sent.set(r.id, now)
    return messages.length
  }
  return { scanOnce }
}

/** The conversion each expiring transfer belongs to: a conversion itself, or the dependent transfer reserved
 *  against one (whose expiry goes to the conversion's owner, switch/fx/fx-position.ts). */
async function conversionsOf(pipeline: PipelineTx, ids: string[]): Promise<Map<string, FxTransferRow>> {
  if (ids.length === 0) return new Map()
  const out = await pipeline.fxTransfersById(ids)
  for (const fx of await pipeline.fxTransfersByDetermining(ids)) if (fx.dependent_linked) out.set(fx.determining_transfer_id, fx)
  return out
}

export function startTimeoutScanner(deps: TimeoutScanDeps & { interval_ms?: number }): TimeoutScanner {
  const { scanOnce } = createTimeoutScan(deps)
  let running: Promise<number> | undefined
  const timer = setInterval(() => {
    if (running) return
    running = scanOnce()
      .catch((error) => { deps.log.error({ err: error }, 'timeout scan failed'); return 0 })
      .finally(() => { running = undefined })
  }, deps.interval_ms ?? SCAN_INTERVAL_MS)

  return {
    scanOnce,
    async stop() {
      clearInterval(timer)
      await running
    },
  }
}
