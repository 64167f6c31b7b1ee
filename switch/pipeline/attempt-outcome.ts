// What a callback try tells the DFSP's circuit breaker, for the notification handler and the retrier
// alike: an answer (2xx, or a 4xx refusal) shows the DFSP is there; no answer, a timeout, a 5xx or a 429
// is a failure; a missing endpoint says nothing about the DFSP.
import type { Attempt, CallbackSender } from './callbacks.ts'
import type { Callback } from '../fspiop/callback.ts'
import type { BreakerState, CircuitBreakers } from './circuit-breaker.ts'
import type { RecipientBudget } from './recipient-budget.ts'
import type { AnswerTimes } from './answer-times.ts'
import type { CallbackRetryStore } from '../store/callback-retry-store.ts'
import type { Logger } from '../observability/logger.ts'

/** What both deliverers of callbacks, the notification handler and the retrier, are built from. */
export interface CallbackDeliveryDeps {
  retries: CallbackRetryStore
  sender: CallbackSender
  breakers: CircuitBreakers
  budget: RecipientBudget
  answerTimes: AnswerTimes
  log: Logger
  backoffFirst_ms: number
  /** The clock (Date.now) and the backoff's jitter (Math.random); the simulation's in switch/simulation. */
  now_ms?: () => number
  random?: () => number
}

function recordAttempt(breakers: CircuitBreakers, recipient: string, attempt: Attempt): BreakerState {
  if (attempt.ok || (!attempt.retryable && attempt.url !== undefined)) breakers.succeeded(recipient)
  else if (attempt.retryable) return breakers.failed(recipient)
  return breakers.state(recipient)
}

/** One try that never rejects: a broken directory or sender is a failed try, retried later. */
function safely(sender: CallbackSender, callback: Callback): Promise<Attempt> {
  return sender.attempt(callback).catch((error: unknown) => ({ ok: false, url: undefined, reason: `${callback.method} to ${callback.to} failed: ${(error as Error).message}`, retryable: true }))
}

/** One try of a callback whose slot of the DFSP's budget the caller holds: when it ends, the slot is freed
 *  and the DFSP's breaker and answer times learn how it went. Answers the breaker's state with the try. */
export async function tryOnce(deps: CallbackDeliveryDeps, callback: Callback): Promise<{ attempt: Attempt; breaker: BreakerState }> {
  const now_ms = deps.now_ms ?? Date.now
  const started_ms = now_ms()
  const attempt = await safely(deps.sender, callback)
  deps.budget.release(callback.to)
  deps.answerTimes.ended(callback.to, now_ms() - started_ms)
  return { attempt, breaker: recordAttempt(deps.breakers, callback.to, attempt) }
}
