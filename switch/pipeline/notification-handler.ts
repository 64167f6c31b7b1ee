// The notification handler: tries each callback of a batch once, concurrently (bounded). A callback that
// fails for a reason worth retrying, or that is for a DFSP failing right now, goes to the callback
// retrier (callback-retrier.ts), which retries with backoff and dead-letters in the end; one the DFSP
// refused (4xx) or cannot receive (no endpoint) is dead-lettered at once, with the reason. So a DFSP that
// is down or slow holds up its Kafka partition for at most one try, not for every retry of every callback.
// Callbacks are at-least-once: a batch delivered again after a crash sends its callbacks again.
import type { StatelessBatchHandler } from './batch-consumer.ts'
import type { Notification } from './messages.ts'
import type { Attempt, CallbackSender } from '../fspiop/callbacks.ts'
import type { Logger } from '../observability/logger.ts'
import { redactUrl } from '../observability/redact.ts'
import type { RecipientHealth } from './recipient-health.ts'
import { addDeadLetters, scheduleCallbackRetries, type CallbackRetryInput, type DeadLetter } from '../../ledger/store/outbox-retries.ts'
import { retryDelay_ms } from './callback-retrier.ts'

export const DELIVERIES_IN_FLIGHT_MAX = 64

/** An attempt, or undefined: not tried because the DFSP is failing right now. */
type Outcome = Attempt | undefined

export function notificationHandler(deps: { sender: CallbackSender; health: RecipientHealth; log: Logger; backoffFirst_ms: number }): StatelessBatchHandler<Notification> {
  return {
    stateless: true,
    async prepare(messages) {
      const outcomes: Outcome[] = new Array(messages.length)
      let next = 0
      const worker = async () => {
        while (next < messages.length) {
          const i = next++
          const callback = messages[i]!.value
          if (!deps.health.isHealthy(callback.to)) continue
          const attempt = await deps.sender.attempt(callback)
          if (attempt.ok) deps.health.succeeded(callback.to)
          else if (attempt.retryable) deps.health.failed(callback.to)
          outcomes[i] = attempt
        }
      }
      await Promise.all(Array.from({ length: Math.min(DELIVERIES_IN_FLIGHT_MAX, messages.length) }, worker))
      return outcomes
    },
    async route(db, messages, prepared) {
      const outcomes = prepared as Outcome[]
      const now = Date.now()
      const retries: CallbackRetryInput[] = []
      const dead: DeadLetter[] = []
      messages.forEach(({ value: callback }, i) => {
        const outcome = outcomes[i]
        if (outcome?.ok) return
        const payload = JSON.stringify(callback)
        const reference = callback.reference ?? null
        if (outcome === undefined) {
          retries.push({ recipient: callback.to, reference, payload, attempts: 0, reason: null, dueAt: new Date(now) })
        } else if (outcome.retryable) {
          retries.push({ recipient: callback.to, reference, payload, attempts: 1, reason: outcome.reason, dueAt: new Date(now + retryDelay_ms(deps.backoffFirst_ms, 1)) })
        } else {
          deps.log.warn({ to: callback.to, reference, reason: redactUrl(outcome.reason) }, 'callback dead-lettered')
          dead.push({ recipient: callback.to, method: callback.method, url: outcome.url ?? null, reference, payload, reason: outcome.reason, attempts: outcome.url === undefined ? 0 : 1 })
        }
      })
      await scheduleCallbackRetries(db, retries)
      await addDeadLetters(db, dead)
      return []
    },
  }
}
