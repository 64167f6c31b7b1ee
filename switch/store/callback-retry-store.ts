// Callbacks waiting for another try and the dead letters of those given up, as the notification handler
// and the callback retrier use them. On MySQL: callback-retries.ts; in memory: memory-callback-retries.ts.

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

export interface CallbackRetryInput {
  recipient: string
  reference: string | null
  /** The callback as JSON. */
  payload: string
  attempts: number
  reason: string | null
  dueAt: Date
}

export interface CallbackRetry {
  id: string
  recipient: string
  reference: string | null
  payload: string
  attempts: number
}

export interface DeadLetter {
  recipient: string
  method: string
  url: string | null
  reference: string | null
  payload: string
  reason: string
  attempts: number
}

export interface ClaimOptions {
  limit: number
  lease_ms: number
  now: Date
  /** Rows claimed per recipient at most (round-robin: each recipient's first due row, then each one's second …). */
  perRecipientMax?: number
  /** Lower limits for some recipients (e.g. 1: a probe). */
  perRecipient?: ReadonlyMap<string, number>
  /** Recipients not to claim for (open circuit, no free budget). */
  exclude?: readonly string[]
}

export interface RetryOutcomes {
  delivered: readonly string[]
  again: readonly { id: string; attempts: number; reason: string; dueAt: Date }[]
  dead: readonly { id: string; letter: DeadLetter }[]
  /** Not tried (the DFSP's circuit opened after the claim): due again at the time given, tries unchanged. */
  deferred?: readonly { id: string; dueAt: Date }[]
}
