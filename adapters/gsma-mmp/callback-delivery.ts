// Callbacks owed to the MMP platform (API Behavioural Model, "Callback"): once a request is final, the final
// object (or the error object) is PUT to its X-Callback-URL with the client's X-CorrelationID; the client
// answers 2xx (204 in the specification's flows). A refused or failed try is retried with backoff up to
// CALLBACK_ATTEMPTS_MAX, then given up (DEAD) with the reason logged. A sweep finds every request whose
// payment became final later (the switch's callback, a restart): the database, not memory, says what is owed.
import { request } from 'undici'
import type { Logger } from 'pino'
import type { Payer } from '../connector-core/payer.ts'
import { httpDate } from './gsma-headers.ts'
import type { GsmaRequestRow, RequestStore } from './gsma-store.ts'
import { callbackBodyOf, FINAL_STATES, QUOTED_STATES } from './gsma-views.ts'

export const CALLBACK_TIMEOUT_MS = 10_000
export const CALLBACK_ATTEMPTS_MAX = 10
export const CALLBACK_RETRY_FIRST_MS = 500
export const CALLBACK_RETRY_MAX_MS = 60_000
/** How long one sender holds a callback's next try (longer than a try can take). */
export const CALLBACK_LEASE_MS = CALLBACK_TIMEOUT_MS * 2
export const CALLBACK_SWEEP_INTERVAL_MS = 250

export function createCallbackDelivery(deps: { requests: RequestStore; payer: Payer; logger: Logger }) {
  const { requests, payer, logger } = deps

  /** One try, if this process wins the row's lease and the request has its answer. */
  async function deliver(row: GsmaRequestRow): Promise<void> {
    const payment = await payer.get(row.transferId)
    if (!payment) return
    const finished = row.kind === 'quotation' ? QUOTED_STATES.includes(payment.state) : FINAL_STATES.includes(payment.state)
    if (!finished || !(await requests.claim(row.serverCorrelationId, CALLBACK_LEASE_MS))) return
    const attempts = row.callbackAttempts + 1
    let failure: string
    try {
      const response = await request(row.callbackUrl, {
        method: 'PUT', body: JSON.stringify(callbackBodyOf(row, payment)), headersTimeout: CALLBACK_TIMEOUT_MS, bodyTimeout: CALLBACK_TIMEOUT_MS,
        headers: { 'content-type': 'application/json', accept: 'application/json', 'x-correlationid': row.clientCorrelationId, 'x-date': httpDate() },
      })
      await response.body.dump()
      if (response.statusCode >= 200 && response.statusCode < 300) {
        await requests.settleCallback(row.serverCorrelationId, { state: 'DELIVERED', attempts })
        return
      }
      failure = `the client answered ${response.statusCode}`
    } catch (error) {
      failure = (error as Error).message
    }
    if (attempts >= CALLBACK_ATTEMPTS_MAX) {
      logger.error({ serverCorrelationId: row.serverCorrelationId, transferId: row.transferId, attempts, reason: failure }, 'gsma: callback given up')
      await requests.settleCallback(row.serverCorrelationId, { state: 'DEAD', attempts, error: failure })
      return
    }
    const wait_ms = Math.min(CALLBACK_RETRY_FIRST_MS * 2 ** (attempts - 1), CALLBACK_RETRY_MAX_MS)
    logger.warn({ serverCorrelationId: row.serverCorrelationId, attempts, reason: failure }, 'gsma: callback refused, retrying')
    await requests.settleCallback(row.serverCorrelationId, { state: 'PENDING', attempts, error: failure, retryAt: new Date(Date.now() + wait_ms) })
  }

  async function sweep(): Promise<number> {
    const due = await requests.due(FINAL_STATES, QUOTED_STATES)
    for (const row of due) await deliver(row)
    return due.length
  }

  let sweeping = false
  const timer = setInterval(() => {
    if (sweeping) return
    sweeping = true
    sweep().catch((error) => logger.warn({ err: error }, 'gsma: callback sweep failed')).finally(() => { sweeping = false })
  }, CALLBACK_SWEEP_INTERVAL_MS)
  timer.unref()

  return { deliver, sweep, stop: () => clearInterval(timer) }
}
export type CallbackDelivery = ReturnType<typeof createCallbackDelivery>
