// Which DFSPs are failing their callbacks right now. The notification handler does not make a batch wait
// on a DFSP that just failed (a connection refused, a timeout, a 5xx): its callbacks go straight to the
// retrier until a try succeeds or the quiet period passes. Per process; a guess, never a decision on money.
export const UNHEALTHY_FOR_MS = 5_000
export const RECIPIENTS_TRACKED_MAX = 10_000

export interface RecipientHealth {
  isHealthy(recipient: string): boolean
  failed(recipient: string): void
  succeeded(recipient: string): void
}

export function createRecipientHealth(opts: { unhealthyFor_ms?: number; now?: () => number } = {}): RecipientHealth {
  const unhealthyFor_ms = opts.unhealthyFor_ms ?? UNHEALTHY_FOR_MS
  const now = opts.now ?? Date.now
  const failingUntil = new Map<string, number>()
  return {
    isHealthy(recipient) {
      const until = failingUntil.get(recipient)
      if (until === undefined) return true
      if (until > now()) return false
      failingUntil.delete(recipient)
      return true
    },
    failed(recipient) {
      if (failingUntil.size >= RECIPIENTS_TRACKED_MAX) failingUntil.clear()
      failingUntil.set(recipient, now() + unhealthyFor_ms)
    },
    succeeded(recipient) {
      failingUntil.delete(recipient)
    },
  }
}
