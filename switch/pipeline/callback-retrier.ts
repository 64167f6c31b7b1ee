// The callback retrier: tries again the callbacks the notification handler could not deliver on the first
// try, with jittered exponential backoff (retry-backoff.ts), up to ATTEMPTS_MAX tries in all; then writes a
// dead letter with the last reason (I6). Rows are claimed with a lease, so several replicas can run and a
// claim lost in a crash comes due again.
// Isolation between DFSPs: a claim takes a few rows per DFSP (no more than the DFSP's free budget of tries
// in flight, recipient-budget.ts), and each try is settled when it ends, not with its claim: a slow DFSP
// never holds up the retries of the others. A DFSP whose circuit is open (circuit-breaker.ts) is not
// claimed for; once its cool-down is over, one of its rows is claimed and tried as the probe. A failed
// probe charges each of the DFSP's waiting retries one try (they end dead-lettered after ATTEMPTS_MAX
// probes at the most), so a DFSP that is down costs one try per cool-down, however many callbacks wait for it.
import { redactUrl } from '../observability/redact.ts'
import { ATTEMPTS_MAX, type Attempt } from './callbacks.ts'
import type { Notification } from './messages.ts'
import { retryDelay_ms } from './retry-backoff.ts'
import { tryOnce, type CallbackDeliveryDeps } from './attempt-outcome.ts'
import type { CallbackRetry, RetryOutcomes } from '../store/callback-retries.ts'

export const RETRY_POLL_MS = 200
/** After a try ends, its outcome is settled (and more rows claimed) this soon, with the others that ended meanwhile. */
export const RETRY_SETTLE_MS = 20
/** Rows this retrier holds at once (claimed, not yet settled), all DFSPs together. */
export const RETRIES_IN_FLIGHT_MAX = 64
/** Rows one DFSP holds in this retrier at once (claimed or being tried): a failing DFSP's tries last up to the
 *  attempt timeout each, and would otherwise fill RETRIES_IN_FLIGHT_MAX (its callback budget is larger, sized
 *  for a healthy DFSP's first tries), leaving the healthy DFSPs' retries no room. */
export const RETRY_ROWS_PER_DFSP_MAX = 16
/** Longer than a claimed row waits for a slot of its DFSP plus its try (both bounded by the attempt timeout). */
export const RETRY_LEASE_MS = 60_000
/** Waiting retries of a DFSP charged per failed probe (the longest-waiting first). */
export const CHARGED_PER_PROBE_MAX = 1_000

export interface CallbackRetrier {
  /** Settles the tries that ended, then claims and starts what is due; answers how many rows it claimed. */
  retryOnce(): Promise<number>
  stop(): Promise<void>
}

export interface CallbackRetrierDeps extends CallbackDeliveryDeps {
  poll_ms?: number
  /** `false`: no poll timer and no settling soon after a try; the caller drives retryOnce (the deterministic simulation). */
  timers?: boolean
  /** Told each retry's outcome (metrics). */
  retried?: (outcome: 'delivered' | 'again' | 'dead') => void
}

interface Settled {
  delivered: string[]
  again: RetryOutcomes['again'][number][]
  dead: RetryOutcomes['dead'][number][]
  deferred: { id: string; dueAt: Date }[]
}

const noneSettled = (): Settled => ({ delivered: [], again: [], dead: [], deferred: [] })

export function startCallbackRetrier(deps: CallbackRetrierDeps): CallbackRetrier {
  const waiting = new Map<string, CallbackRetry[]>() // claimed, not yet started, per DFSP
  const trying = new Set<Promise<void>>()
  const holding = new Map<string, number>() // rows claimed or being tried, per DFSP
  const hold = (recipient: string, n: number) => {
    const now = (holding.get(recipient) ?? 0) + n
    if (now > 0) holding.set(recipient, now)
    else holding.delete(recipient)
  }
  let held = 0 // claimed and not yet settled
  let settled = noneSettled()
  let settledCount = 0
  let running: Promise<unknown> | undefined
  let soon: NodeJS.Timeout | undefined
  let stopped = false
  const now_ms = deps.now_ms ?? Date.now
  const timers = deps.timers !== false

  async function retryOnce(): Promise<number> {
    await flush()
    if (stopped) return 0
    const room = RETRIES_IN_FLIGHT_MAX - held
    if (room <= 0) return 0
    const plan = claimPlan()
    const rows = await deps.retries.claimDue({ limit: room, lease_ms: RETRY_LEASE_MS, now: new Date(now_ms()), perRecipientMax: plan.perRecipientMax, perRecipient: plan.perRecipient, exclude: plan.exclude })
    held += rows.length
    for (const row of rows) {
      hold(row.recipient, 1)
      const queue = waiting.get(row.recipient) ?? []
      queue.push(row)
      waiting.set(row.recipient, queue)
    }
    startWaiting()
    return rows.length
  }

  /** Who may be claimed for, and how many rows each: its free slots, one probe, or none. */
  function claimPlan(): { perRecipientMax: number; perRecipient: Map<string, number>; exclude: string[] } {
    const exclude = new Set<string>()
    const perRecipient = new Map<string, number>()
    for (const recipient of deps.breakers.notClosed()) {
      if (deps.breakers.mayProbe(recipient) && !waiting.has(recipient)) perRecipient.set(recipient, 1)
      else exclude.add(recipient)
    }
    const perRecipientMax = Math.min(deps.budget.inFlightMax, RETRY_ROWS_PER_DFSP_MAX)
    for (const recipient of new Set([...waiting.keys(), ...holding.keys(), ...deps.budget.busy()])) {
      if (exclude.has(recipient) || perRecipient.has(recipient)) continue
      const free = Math.min(deps.budget.free(recipient) - (waiting.get(recipient)?.length ?? 0), RETRY_ROWS_PER_DFSP_MAX - (holding.get(recipient) ?? 0))
      if (free <= 0) exclude.add(recipient)
      else if (free < perRecipientMax) perRecipient.set(recipient, free)
    }
    return { perRecipientMax, perRecipient, exclude: [...exclude] }
  }

  function startWaiting(): void {
    for (const [recipient, rows] of waiting) {
      const state = deps.breakers.state(recipient)
      if (state === 'closed') {
        while (rows.length > 0 && deps.budget.tryAcquire(recipient)) start(rows.shift()!, false)
      } else if (state === 'half-open' && deps.budget.tryAcquire(recipient)) {
        if (deps.breakers.startProbe(recipient)) start(rows.shift()!, true)
        else deps.budget.release(recipient)
      }
      // Rows that cannot go now while the circuit is not closed wait for the probe, unclaimed.
      if (state !== 'closed') for (const row of rows.splice(0)) { hold(recipient, -1); settle('deferred', { id: row.id, dueAt: new Date(now_ms()) }) }
      if (rows.length === 0) waiting.delete(recipient)
    }
  }

  function start(row: CallbackRetry, probe: boolean): void {
    const callback = JSON.parse(row.payload) as Notification
    const done = tryOnce(deps, callback).then(({ attempt, breaker: state }) => {
      hold(row.recipient, -1)
      record(row, callback, attempt)
      if (probe && !attempt.ok && attempt.retryable && state !== 'closed') chargeWaiting(row.recipient, attempt.reason)
    }).finally(() => {
      trying.delete(done)
      settleSoon()
    })
    trying.add(done)
  }

  function record(row: CallbackRetry, callback: Notification, attempt: Attempt): void {
    if (attempt.ok) {
      deps.retried?.('delivered')
      return settle('delivered', row.id)
    }
    const made = attempt.url === undefined ? row.attempts : row.attempts + 1
    if (attempt.retryable && made < ATTEMPTS_MAX) {
      deps.retried?.('again')
      return settle('again', { id: row.id, attempts: made, reason: attempt.reason, dueAt: new Date(now_ms() + retryDelay_ms(deps.backoffFirst_ms, made, deps.random)) })
    }
    deps.retried?.('dead')
    deps.log.warn({ to: row.recipient, reference: row.reference, reason: redactUrl(attempt.reason), attempts: made }, 'callback dead-lettered')
    settle('dead', { id: row.id, letter: { recipient: row.recipient, method: callback.method, url: attempt.url ?? null, reference: row.reference, payload: row.payload, reason: attempt.reason, attempts: made } })
  }

  function settle<K extends keyof Settled>(kind: K, outcome: Settled[K][number]): void {
    (settled[kind] as Settled[K][number][]).push(outcome)
    settledCount++
  }

  function chargeWaiting(recipient: string, reason: string): void {
    const now = new Date(now_ms())
    deps.retries.chargeWaiting({ recipient, reason, attemptsMax: ATTEMPTS_MAX, now, dueAt: now, limit: CHARGED_PER_PROBE_MAX })
      .then((charged) => { if (charged.deadLettered > 0) deps.log.warn({ to: recipient, ...charged, reason: redactUrl(reason) }, 'callbacks dead-lettered: the DFSP\'s circuit stays open') })
      .catch((error) => deps.log.error({ err: error, to: recipient }, 'charging waiting callbacks failed; the next probe charges them'))
  }

  async function flush(): Promise<void> {
    if (settledCount === 0) return
    const outcomes = settled
    const count = settledCount
    settled = noneSettled()
    settledCount = 0
    try {
      await deps.retries.settle(outcomes)
      held -= count
    } catch (error) {
      for (const kind of Object.keys(outcomes) as (keyof Settled)[]) for (const o of outcomes[kind]) settle(kind, o as never)
      throw error
    }
  }

  function pass(): void {
    if (running) return
    running = (async () => {
      // Go again at once while claims fill the room: more are due.
      while (!stopped && (await retryOnce()) > 0 && held < RETRIES_IN_FLIGHT_MAX);
    })().catch((error) => deps.log.error({ err: error }, 'callback retries failed')).finally(() => { running = undefined })
  }
  function settleSoon(): void {
    if (soon || stopped || !timers) return
    soon = setTimeout(() => { soon = undefined; pass() }, RETRY_SETTLE_MS)
  }
  const timer = timers ? setInterval(pass, deps.poll_ms ?? RETRY_POLL_MS) : undefined

  return {
    retryOnce,
    async stop() {
      stopped = true
      clearInterval(timer)
      clearTimeout(soon)
      await running
      await Promise.all([...trying])
      for (const [, rows] of waiting) for (const row of rows) settle('deferred', { id: row.id, dueAt: new Date(now_ms()) })
      waiting.clear()
      await flush().catch((error) => deps.log.error({ err: error }, 'settling callback retries at stop failed; they come due after their lease'))
    },
  }
}
