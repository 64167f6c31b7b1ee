// Login throttling for the web view, per user name and per client address: a few failures are free, then
// each further failure locks that name (or address) out for twice as long as the one before, up to a cap.
// While locked, a login is refused with 429 before its password is even checked, so the right password
// does not get in either. Failures are forgotten a while after the last one. State is per process.

/** Failures of one user name before it is locked out. */
export const LOGIN_FAILURES_FREE_PER_NAME = 3
/** Failures from one client address (many users may share one) before it is locked out. */
export const LOGIN_FAILURES_FREE_PER_ADDRESS = 10
/** The first lock-out; each further failure doubles it. */
export const LOGIN_LOCK_FIRST_MS = 1_000
export const LOGIN_LOCK_MAX_MS = 15 * 60_000
/** A name or address with no failure for this long starts again from zero. */
export const LOGIN_FAILURE_MEMORY_MS = 60 * 60_000
/** Names and addresses remembered at once; the longest unseen is forgotten first. */
export const LOGIN_THROTTLE_ENTRIES_MAX = 10_000

interface Failures {
  count: number
  lastFailure_ms: number
  lockedUntil_ms: number
}

export type LoginVerdict = { allowed: true } | { allowed: false; retryAfter_ms: number }

export function createLoginThrottle(now: () => number = Date.now) {
  const entries = new Map<string, Failures>()

  const keys = (name: string, address: string): [key: string, free: number][] => [[`name:${name}`, LOGIN_FAILURES_FREE_PER_NAME], [`address:${address}`, LOGIN_FAILURES_FREE_PER_ADDRESS]]

  function current(key: string, at: number): Failures | undefined {
    const entry = entries.get(key)
    if (entry && at - entry.lastFailure_ms > LOGIN_FAILURE_MEMORY_MS && at >= entry.lockedUntil_ms) {
      entries.delete(key)
      return undefined
    }
    return entry
  }

  return {
    /** Whether a login for this name from this address may be tried now. */
    check(name: string, address: string): LoginVerdict {
      const at = now()
      const wait = Math.max(0, ...keys(name, address).map(([key]) => (current(key, at)?.lockedUntil_ms ?? 0) - at))
      return wait > 0 ? { allowed: false, retryAfter_ms: wait } : { allowed: true }
    },

    /** Counts a wrong password; returns how long the name or address is now locked (0: not locked). */
    failed(name: string, address: string): number {
      const at = now()
      let locked_ms = 0
      for (const [key, free] of keys(name, address)) {
        const entry = current(key, at) ?? { count: 0, lastFailure_ms: at, lockedUntil_ms: 0 }
        entry.count++
        entry.lastFailure_ms = at
        if (entry.count > free) {
          const lock_ms = Math.min(LOGIN_LOCK_MAX_MS, LOGIN_LOCK_FIRST_MS * 2 ** Math.min(30, entry.count - free - 1))
          entry.lockedUntil_ms = at + lock_ms
          locked_ms = Math.max(locked_ms, lock_ms)
        }
        entries.delete(key) // re-inserted last: the map's order is least recently failed first
        entries.set(key, entry)
      }
      while (entries.size > LOGIN_THROTTLE_ENTRIES_MAX) entries.delete(entries.keys().next().value!)
      return locked_ms
    },

    /** The right password: the name starts again from zero. The address does not, so that one good
     *  account cannot be used to reset an address that is guessing the passwords of others. */
    succeeded(name: string): void {
      entries.delete(`name:${name}`)
    },
  }
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>
