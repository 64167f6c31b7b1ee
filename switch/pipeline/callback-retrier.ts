// The callback retrier: tries again the callbacks the notification handler could not deliver on the first
// try, with exponential backoff, up to ATTEMPTS_MAX tries in all; then writes a dead letter with the last
// reason (I6). Rows are claimed with a lease, so several replicas can run and a claim lost in a crash
// comes due again.
import type { Db } from '../../ledger/store/db.ts'
import type { Logger } from '../observability/logger.ts'
import { redactUrl } from '../observability/redact.ts'
import { ATTEMPTS_MAX, type Attempt, type CallbackSender } from '../fspiop/callbacks.ts'
import type { Notification } from './messages.ts'
import type { RecipientHealth } from './recipient-health.ts'
import { claimDueCallbackRetries, settleCallbackRetries, type CallbackRetry, type RetryOutcomes } from '../../ledger/store/outbox-retries.ts'

export const RETRY_POLL_MS = 200
export const RETRY_CLAIM_MAX = 256
/** Longer than the slowest round (claimed rows × attempt timeout ÷ tries in flight). */
export const RETRY_LEASE_MS = 60_000
export const RETRIES_IN_FLIGHT_MAX = 64

/** The wait after the n-th failed try: first, 2 × first, 4 × first … */
export function retryDelay_ms(backoffFirst_ms: number, attemptsMade: number): number {
  return backoffFirst_ms * 2 ** (attemptsMade - 1)
}

export interface CallbackRetrier {
  /** One claim-and-try round; answers how many rows it claimed. */
  retryOnce(): Promise<number>
  stop(): Promise<void>
}

export interface CallbackRetrierDeps {
  db: Db
  sender: CallbackSender
  health: RecipientHealth
  log: Logger
  backoffFirst_ms: number
  poll_ms?: number
}

export function startCallbackRetrier(deps: CallbackRetrierDeps): CallbackRetrier {
  let running: Promise<unknown> | undefined
  let stopped = false

  async function retryOnce(): Promise<number> {
    const rows = await claimDueCallbackRetries(deps.db, { limit: RETRY_CLAIM_MAX, lease_ms: RETRY_LEASE_MS, now: new Date() })
    if (rows.length === 0) return 0
    const attempts = await tryAll(rows)
    await settleCallbackRetries(deps.db, outcomesOf(rows, attempts))
    return rows.length
  }

  async function tryAll(rows: CallbackRetry[]): Promise<Attempt[]> {
    const attempts: Attempt[] = new Array(rows.length)
    let next = 0
    const worker = async () => {
      while (next < rows.length) {
        const i = next++
        const callback = JSON.parse(rows[i]!.payload) as Notification
        const attempt = await deps.sender.attempt(callback)
        if (attempt.ok) deps.health.succeeded(callback.to)
        else if (attempt.retryable) deps.health.failed(callback.to)
        attempts[i] = attempt
      }
    }
    await Promise.all(Array.from({ length: Math.min(RETRIES_IN_FLIGHT_MAX, rows.length) }, worker))
    return attempts
  }

  function outcomesOf(rows: CallbackRetry[], attempts: Attempt[]): RetryOutcomes {
    const now = Date.now()
    const outcomes = { delivered: [] as string[], again: [] as RetryOutcomes['again'][number][], dead: [] as RetryOutcomes['dead'][number][] }
    rows.forEach((row, i) => {
      const attempt = attempts[i]!
      if (attempt.ok) return void outcomes.delivered.push(row.id)
      const made = row.attempts + 1
      if (attempt.retryable && made < ATTEMPTS_MAX) {
        outcomes.again.push({ id: row.id, attempts: made, reason: attempt.reason, dueAt: new Date(now + retryDelay_ms(deps.backoffFirst_ms, made)) })
        return
      }
      const callback = JSON.parse(row.payload) as Notification
      deps.log.warn({ to: row.recipient, reference: row.reference, reason: redactUrl(attempt.reason), attempts: made }, 'callback dead-lettered')
      outcomes.dead.push({ id: row.id, letter: { recipient: row.recipient, method: callback.method, url: attempt.url ?? null, reference: row.reference, payload: row.payload, reason: attempt.reason, attempts: made } })
    })
    return outcomes
  }

  const loop = async () => {
    // A full claim means more are due: go again at once.
    while (!stopped && (await retryOnce()) === RETRY_CLAIM_MAX);
  }
  const timer = setInterval(() => {
    if (running) return
    running = loop().catch((error) => deps.log.error({ err: error }, 'callback retries failed')).finally(() => { running = undefined })
  }, deps.poll_ms ?? RETRY_POLL_MS)

  return {
    retryOnce,
    async stop() {
      stopped = true
      clearInterval(timer)
      await running
    },
  }
}
