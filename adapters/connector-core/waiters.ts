// Callbacks awaited in this process, by key ("party:MSISDN/123", "quote:{id}", "transfer:{id}"): one callback
// answers every call waiting for the same key. The state that matters is in the database (the connector's,
// the reference DFSP's books); a waiter only lets the caller hear the answer at once, or stop waiting.
export class CallbackTimeout extends Error {}
export class ConnectorStopping extends Error {}

type Waiter = { resolve: (v: any) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }

export class Waiters {
  private readonly waiting = new Map<string, Waiter[]>()

  /** Resolves with the callback's body, rejects with its FspiopFailure, a CallbackTimeout or ConnectorStopping. */
  wait(key: string, timeout_ms: number): Promise<any> {
    const promise = new Promise<any>((resolve, reject) => {
      const waiter: Waiter = {
        resolve, reject,
        timer: setTimeout(() => {
          this.remove(key, waiter)
          reject(new CallbackTimeout(`no callback for ${key} within ${timeout_ms} ms`))
        }, timeout_ms),
      }
      this.waiting.set(key, [...(this.waiting.get(key) ?? []), waiter])
    })
    // The callback may come before the caller awaits: mark the rejection handled; the caller awaits it.
    promise.catch(() => {})
    return promise
  }

  settle(key: string, value: unknown, error?: Error): boolean {
    const waiters = this.waiting.get(key)
    if (!waiters) return false
    this.waiting.delete(key)
    for (const w of waiters) {
      clearTimeout(w.timer)
      if (error) w.reject(error)
      else w.resolve(value)
    }
    return true
  }

  /** Every waiter fails with ConnectorStopping; the database keeps where each payment is. */
  stopAll(): void {
    for (const [key] of this.waiting) this.settle(key, undefined, new ConnectorStopping('the connector is stopping'))
  }

  private remove(key: string, waiter: Waiter): void {
    const rest = (this.waiting.get(key) ?? []).filter((w) => w !== waiter)
    if (rest.length > 0) this.waiting.set(key, rest)
    else this.waiting.delete(key)
  }
}
