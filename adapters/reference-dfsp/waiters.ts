// A payer's calls waiting for their callbacks, by key: one callback answers every call for the same
// party, quote or transfer. A waiter that hears nothing within its timeout is rejected (the caller stops
// waiting; what the DFSP's books do about the transfer is not decided here).

type Waiter = { resolve: (v: any) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }

export class Waiters {
  private readonly waiting = new Map<string, Waiter[]>()

  constructor(private readonly name: string, private readonly timeout_ms: number) {}

  wait(key: string): Promise<any> {
    return new Promise<any>((resolve, reject) => {
      const waiter: Waiter = {
        resolve, reject,
        timer: setTimeout(() => {
          const rest = (this.waiting.get(key) ?? []).filter((w) => w !== waiter)
          if (rest.length > 0) this.waiting.set(key, rest)
          else this.waiting.delete(key)
          reject(new Error(`${this.name}: no callback for ${key} within ${this.timeout_ms} ms`))
        }, this.timeout_ms),
      }
      const list = this.waiting.get(key)
      if (list) list.push(waiter)
      else this.waiting.set(key, [waiter])
    })
  }

  /** Answers every waiter for the key; false when none waits. */
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

  has(key: string): boolean {
    return this.waiting.has(key)
  }

  /** Rejects every waiter: nothing will answer them here any more. */
  clear(): void {
    const closed = new Error(`${this.name}: closed before the callback came`)
    for (const waiters of this.waiting.values()) {
      for (const w of waiters) {
        clearTimeout(w.timer)
        w.reject(closed)
      }
    }
    this.waiting.clear()
  }
}
