// How a reference DFSP learns the final state of a transfer whose callback did not come (lost, refused,
// dead-lettered, the switch down or restarting): it asks the switch, GET /transfers/{id}, as central-ledger
// defines it: the switch answers 202 and then calls back PUT /transfers/{id} with the state (or
// PUT /transfers/{id}/error 3208 when it holds no such transfer). It asks again, with backoff, until the
// DFSP's books have the transfer final: a GET that fails (switch down), an answer that never comes, or a
// state that is not final yet (RECEIVED, RESERVED) all end in another GET. The callbacks themselves are
// handled by the DFSP, wherever they come from; this only keeps asking.
import { setTimeout as sleep } from 'node:timers/promises'

export const RESOLVE_BACKOFF_FIRST_MS = 250
export const RESOLVE_BACKOFF_MAX_MS = 5_000
/**
 * How long after a transfer's expiration a 3208 (no such transfer) means it never happened. Before its
 * expiration a prepare may still be on its way through the switch (accepted, not yet in the ledger); one
 * the switch reads after its expiration is EXPIRED, so it can no longer commit.
 */
export const NOT_FOUND_FINAL_AFTER_EXPIRATION_MS = 2_000

export interface TransferResolverDeps {
  /** Sends GET /transfers/{id}; the answer comes as a callback. */
  askState(transferId: string): Promise<unknown>
  /** Whether the DFSP's books still wait for the transfer's final state. */
  isPending(transferId: string): boolean
  backoffFirst_ms?: number
  backoffMax_ms?: number
}

interface Unresolved {
  expiration_ms: number
  timer?: NodeJS.Timeout
  asking: boolean
}

export class TransferResolver {
  private readonly unresolved = new Map<string, Unresolved>()
  private readonly stopped = new AbortController()
  /** GET /transfers/{id} sent, failed ones included. */
  statesAsked = 0

  constructor(private readonly deps: TransferResolverDeps) {}

  /** Starts asking for the transfer's state after `after_ms` unless it is final by then. */
  track(transferId: string, expiration_ms: number, after_ms: number): void {
    if (this.stopped.signal.aborted || this.unresolved.has(transferId)) return
    const entry: Unresolved = { expiration_ms, asking: false }
    entry.timer = setTimeout(() => this.ask(transferId, entry), after_ms)
    this.unresolved.set(transferId, entry)
  }

  /** Asks now (the outcome of a request is unknown: it failed on the way or the switch answered 5xx). */
  resolveNow(transferId: string, expiration_ms: number): void {
    const entry = this.unresolved.get(transferId)
    if (!entry) {
      this.track(transferId, expiration_ms, 0)
      return
    }
    clearTimeout(entry.timer)
    this.ask(transferId, entry)
  }

  /** The books have the transfer final: stop asking. */
  settled(transferId: string): void {
    const entry = this.unresolved.get(transferId)
    if (!entry) return
    clearTimeout(entry.timer)
    this.unresolved.delete(transferId)
  }

  /** A 3208 for this transfer says it never happened when the switch looked long enough after its
   *  expiration (`lookedAt_ms`, the 3208's Date): a prepare the switch reads after its expiration can only
   *  expire. A 3208 made earlier and delivered late (retried, or read by a switch still catching up after a
   *  restart) says nothing: the prepare may have been on its way. */
  notFoundIsFinal(transferId: string, lookedAt_ms: number): boolean {
    const entry = this.unresolved.get(transferId)
    return entry !== undefined && lookedAt_ms > entry.expiration_ms + NOT_FOUND_FINAL_AFTER_EXPIRATION_MS
  }

  get unresolvedCount(): number {
    return this.unresolved.size
  }

  close(): void {
    this.stopped.abort()
    for (const entry of this.unresolved.values()) clearTimeout(entry.timer)
    this.unresolved.clear()
  }

  private ask(transferId: string, entry: Unresolved): void {
    if (entry.asking) return
    entry.asking = true
    void this.keepAsking(transferId, entry)
  }

  private async keepAsking(transferId: string, entry: Unresolved): Promise<void> {
    let wait_ms = this.deps.backoffFirst_ms ?? RESOLVE_BACKOFF_FIRST_MS
    const max_ms = this.deps.backoffMax_ms ?? RESOLVE_BACKOFF_MAX_MS
    const current = () => !this.stopped.signal.aborted && this.unresolved.get(transferId) === entry && this.deps.isPending(transferId)
    while (current()) {
      this.statesAsked++
      // A GET that fails (connection refused, 5xx) is one more reason to ask again.
      await this.deps.askState(transferId).catch(() => undefined)
      try {
        await sleep(wait_ms, undefined, { signal: this.stopped.signal })
      } catch {
        return
      }
      wait_ms = Math.min(max_ms, wait_ms * 2)
    }
    if (this.unresolved.get(transferId) === entry) this.unresolved.delete(transferId)
  }
}
