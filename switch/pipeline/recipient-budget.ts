// How many callback tries each DFSP has in flight, shared by the notification handler and the callback
// retrier of a process: a DFSP gets at most RECIPIENT_IN_FLIGHT_MAX at once, so one that is slow or
// silent ties up its own share of tries and connections, never the others'. Entries exist only while
// tries are in flight or waited for.
//
// Its size: a healthy DFSP has rate × answer time tries in flight (Little's law): 1,000 callbacks/s answered
// in 50 ms (a loaded host) is 50, and a Kafka batch brings its callbacks at once, so it must be well above
// that or healthy callbacks wait for a slot, overflow the first-try wait and pile up in the retry queue (16
// did: at 600 transfers/s the benchmark's DFSPs ended with thousands of queued callbacks and transfers
// expired). What a silent DFSP can hold is bounded by it too: this many sockets for an attempt's timeout.
export const RECIPIENT_IN_FLIGHT_MAX = 128

export interface RecipientBudget {
  readonly inFlightMax: number
  /** Takes a slot if one is free. */
  tryAcquire(recipient: string): boolean
  /** Waits for a slot until the signal aborts: true if one was taken. */
  acquire(recipient: string, signal: AbortSignal): Promise<boolean>
  release(recipient: string): void
  free(recipient: string): number
  /** DFSPs with tries in flight or waited for. */
  busy(): string[]
}

interface Load {
  inFlight: number
  waiters: (() => void)[]
}

export function createRecipientBudget(inFlightMax: number = RECIPIENT_IN_FLIGHT_MAX): RecipientBudget {
  const loads = new Map<string, Load>()
  const loadOf = (recipient: string): Load => {
    let load = loads.get(recipient)
    if (!load) loads.set(recipient, (load = { inFlight: 0, waiters: [] }))
    return load
  }
  const forgetIfIdle = (recipient: string, load: Load) => {
    if (load.inFlight === 0 && load.waiters.length === 0) loads.delete(recipient)
  }

  function tryAcquire(recipient: string): boolean {
    const load = loadOf(recipient)
    if (load.inFlight >= inFlightMax) return false
    load.inFlight++
    return true
  }

  return {
    inFlightMax,
    tryAcquire,
    acquire(recipient, signal) {
      if (tryAcquire(recipient)) return Promise.resolve(true)
      if (signal.aborted) return Promise.resolve(false)
      const load = loadOf(recipient)
      return new Promise((resolve) => {
        const take = () => {
          signal.removeEventListener('abort', giveUp)
          load.inFlight++
          resolve(true)
        }
        const giveUp = () => {
          load.waiters.splice(load.waiters.indexOf(take), 1)
          forgetIfIdle(recipient, load)
          resolve(false)
        }
        load.waiters.push(take)
        signal.addEventListener('abort', giveUp, { once: true })
      })
    },
    release(recipient) {
      const load = loads.get(recipient)
      if (!load || load.inFlight === 0) throw new Error(`callback budget: ${recipient} released a slot it did not hold`)
      load.inFlight--
      const next = load.waiters.shift()
      if (next) next()
      else forgetIfIdle(recipient, load)
    },
    free: (recipient) => inFlightMax - (loads.get(recipient)?.inFlight ?? 0),
    busy: () => [...loads.keys()],
  }
}
