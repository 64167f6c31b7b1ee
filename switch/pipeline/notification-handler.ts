// The notification handler: tries each callback of a batch once, each DFSP within its own budget of
// tries in flight (recipient-budget.ts), and waits for each DFSP's first tries about as long as that DFSP
// takes to answer (answer-times.ts: a few milliseconds for a healthy one, FIRST_TRY_WAIT_MAX_MS at most).
// What is left goes to the callback retrier (callback-retrier.ts, durable rows), which retries with
// backoff and dead-letters in the end:
// - a callback for a DFSP whose circuit is open (circuit-breaker.ts) is not tried; it waits for the probe;
// - one for a slow DFSP (a try of it outlived the wait, and none has answered in time since) or that found
//   no free slot in time is not tried;
// - a try still running when the wait ends is handed over: its row is written (due after the try's own
//   timeout), and the try, when it ends, settles that row (delivered, again later, or dead).
// A callback the DFSP refused (4xx) or cannot receive (no endpoint) is dead-lettered at once, with the
// reason. So a DFSP that is down, silent or slow holds up the callbacks of the others on its Kafka partition
// once, for about its usual answer time, and then not until one of its tries is answered in time again.
// Each callback is tried in the trace its message carried (traceparent), so it continues the DFSP's request.
// Callbacks are at-least-once: a batch delivered again after a crash sends its callbacks again.
import { setMaxListeners } from 'node:events'
import { context } from '@opentelemetry/api'
import type { StatelessBatchHandler } from './batch-consumer.ts'
import type { Notification } from './messages.ts'
import type { Attempt } from './callbacks.ts'
import { redactUrl } from '../observability/redact.ts'
import type { CallbackRetryInput, DeadLetter } from '../store/callback-retries.ts'
import { retryDelay_ms } from './retry-backoff.ts'
import { tryOnce, type CallbackDeliveryDeps } from './attempt-outcome.ts'
/** A handed-over try's row comes due this long after the try's own timeout, so it is not tried twice at once. */
export const HANDOVER_MARGIN_MS = 1_000

type Outcome =
  | { kind: 'tried'; attempt: Attempt }
  /** Not tried: open circuit, slow DFSP or no free slot in time. */
  | { kind: 'queued'; dueAt_ms: number; reason: string }
  /** Still being tried; its row is written and the try settles it. */
  | { kind: 'handedOver' }

export interface NotificationHandlerDeps extends CallbackDeliveryDeps {
  attemptTimeout_ms: number
}

/** How long a batch waits for one DFSP's first tries: `over` aborts and `deadline` resolves when it is up. */
interface Wait {
  wait_ms: number
  over: AbortSignal
  deadline: Promise<undefined>
}

export function notificationHandler(deps: NotificationHandlerDeps): StatelessBatchHandler<Notification> {
  const now_ms = deps.now_ms ?? Date.now
  const delay_ms = (attempts: number) => retryDelay_ms(deps.backoffFirst_ms, attempts, deps.random)
  async function firstTry(callback: Notification, wait: Wait): Promise<Outcome> {
    const to = callback.to
    const queued = (reason: string, dueAt_ms = now_ms()): Outcome => ({ kind: 'queued', dueAt_ms, reason })
    const noSlot = () => queued(`not tried: ${to} had no free slot within ${wait.wait_ms} ms`)
    if (deps.breakers.state(to) !== 'closed') return queued(`not tried: ${to}'s circuit is open`, deps.breakers.probeAt_ms(to))
    if (deps.answerTimes.isSlow(to)) return queued(`not tried: ${to} is slow to answer`)
    if (!(await deps.budget.acquire(to, wait.over))) return noSlot()
    if (deps.breakers.state(to) !== 'closed') {
      deps.budget.release(to)
      return queued(`not tried: ${to}'s circuit is open`, deps.breakers.probeAt_ms(to))
    }
    if (wait.over.aborted) {
      deps.budget.release(to)
      return noSlot()
    }
    const started_ms = now_ms()
    const trying = tryOnce(deps, callback).then(({ attempt }) => attempt)
    const attempt = await Promise.race([trying, wait.deadline])
    if (attempt !== undefined) return { kind: 'tried', attempt }
    await handOver(callback, trying, started_ms, wait.wait_ms)
    return { kind: 'handedOver' }
  }

  async function handOver(callback: Notification, trying: Promise<Attempt>, started_ms: number, wait_ms: number): Promise<void> {
    deps.answerTimes.outlived(callback.to)
    const row = deps.retries.scheduleOne({
      recipient: callback.to, reference: callback.reference ?? null, payload: JSON.stringify(callback), attempts: 1,
      reason: `no answer within ${wait_ms} ms (the try went on)`, dueAt: new Date(started_ms + deps.attemptTimeout_ms + HANDOVER_MARGIN_MS),
    })
    void Promise.allSettled([row, trying]).then(async ([written, tried]) => {
      try {
        if (written.status === 'fulfilled' && tried.status === 'fulfilled') await settleHandedOver(written.value, callback, tried.value)
      } catch (error) {
        deps.log.error({ err: error, to: callback.to, reference: callback.reference }, 'a handed-over callback try could not be recorded; the retrier will try it again')
      }
    })
    await row
  }

  /** One wait per DFSP of the batch, each as long as that DFSP's answer time asks. */
  function waitsFor(messages: { value: Notification }[]): { waits: Map<string, Wait>; end: () => void } {
    const waits = new Map<string, Wait>()
    const ends: (() => void)[] = []
    for (const { value: { to } } of messages) {
      if (waits.has(to)) continue
      const wait_ms = deps.answerTimes.wait_ms(to)
      const over = new AbortController()
      setMaxListeners(0, over.signal) // one listener per callback waiting for a slot
      let timer: NodeJS.Timeout | undefined
      const deadline = new Promise<undefined>((resolve) => {
        timer = setTimeout(() => { over.abort(); resolve(undefined) }, wait_ms)
      })
      ends.push(() => { clearTimeout(timer); over.abort() })
      waits.set(to, { wait_ms, over: over.signal, deadline })
    }
    return { waits, end: () => ends.forEach((end) => end()) }
  }

  async function settleHandedOver(id: string, callback: Notification, attempt: Attempt): Promise<void> {
    if (attempt.ok) return deps.retries.settle({ delivered: [id], again: [], dead: [] })
    if (attempt.retryable) {
      return deps.retries.settle({ delivered: [], dead: [], again: [{ id, attempts: 1, reason: attempt.reason, dueAt: new Date(now_ms() + delay_ms(1)) }] })
    }
    deps.log.warn({ to: callback.to, reference: callback.reference, reason: redactUrl(attempt.reason) }, 'callback dead-lettered')
    await deps.retries.settle({ delivered: [], again: [], dead: [{ id, letter: deadLetter(callback, attempt) }] })
  }

  return {
    stateless: true,
    async prepare(messages) {
      const { waits, end } = waitsFor(messages)
      try {
        // Each callback goes out in its own message's trace (the request that caused it), not the fetch's.
        return await Promise.all(messages.map((m) => context.with(m.trace ?? context.active(), () => firstTry(m.value, waits.get(m.value.to)!))))
      } finally {
        end()
      }
    },
    async route(_db, messages, prepared) {
      const outcomes = prepared as Outcome[]
      const now = now_ms()
      const retries: CallbackRetryInput[] = []
      const dead: DeadLetter[] = []
      messages.forEach(({ value: callback }, i) => {
        const outcome = outcomes[i]!
        if (outcome.kind === 'handedOver' || (outcome.kind === 'tried' && outcome.attempt.ok)) return
        const payload = JSON.stringify(callback)
        const reference = callback.reference ?? null
        if (outcome.kind === 'queued') {
          retries.push({ recipient: callback.to, reference, payload, attempts: 0, reason: outcome.reason, dueAt: new Date(outcome.dueAt_ms) })
          return
        }
        const attempt = outcome.attempt
        if (attempt.ok) return
        if (attempt.retryable) {
          retries.push({ recipient: callback.to, reference, payload, attempts: 1, reason: attempt.reason, dueAt: new Date(now + delay_ms(1)) })
        } else {
          deps.log.warn({ to: callback.to, reference, reason: redactUrl(attempt.reason) }, 'callback dead-lettered')
          dead.push(deadLetter(callback, attempt))
        }
      })
      await deps.retries.schedule(retries)
      await deps.retries.addDeadLetters(dead)
      return []
    },
  }
}

function deadLetter(callback: Notification, attempt: Extract<Attempt, { ok: false }>): DeadLetter {
  return {
    recipient: callback.to, method: callback.method, url: attempt.url ?? null, reference: callback.reference ?? null,
    payload: JSON.stringify(callback), reason: attempt.reason, attempts: attempt.url === undefined ? 0 : 1,
  }
}
