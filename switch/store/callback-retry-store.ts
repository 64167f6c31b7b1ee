// Callbacks waiting for another try and the dead letters of those given up, as the notification handler
// and the callback retrier use them. On MySQL: callback-retries.ts; in memory: memory-callback-retries.ts.
import type { CallbackRetry, CallbackRetryInput, ClaimOptions, DeadLetter, RetryOutcomes } from './callback-retries.ts'

export interface ChargeOptions {
  recipient: string
  reason: string
  attemptsMax: number
  now: Date
  dueAt: Date
  limit: number
}

export interface CallbackRetryStore {
  schedule(rows: readonly CallbackRetryInput[]): Promise<void>
  /** One row, answering its id. */
  scheduleOne(row: CallbackRetryInput): Promise<string>
  addDeadLetters(rows: readonly DeadLetter[]): Promise<void>
  /** Claims up to `limit` due rows, fairly across recipients: they come due again only after the lease. */
  claimDue(opts: ClaimOptions): Promise<CallbackRetry[]>
  /** Records what became of claimed rows, in one transaction. */
  settle(outcomes: RetryOutcomes): Promise<void>
  /** A failed probe of an open circuit charges the recipient's due, unclaimed retries one try each. */
  chargeWaiting(opts: ChargeOptions): Promise<{ charged: number; deadLettered: number }>
  pending(reference: string): Promise<number>
}
