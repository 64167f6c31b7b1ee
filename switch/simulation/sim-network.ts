// The switch's callback sender (fspiop/callbacks.ts CallbackSender) wired to simulated DFSPs instead of
// HTTP: each try is answered at once, as the DFSP's wire profile draws it (2xx, 5xx, a timeout, a 4xx
// refusal), with the same Attempt the real sender makes of it. Deterministic: the PRNG draws in the
// order the pipeline tries.
import { ATTEMPTS_MAX, type Attempt, type CallbackSender, type Delivery } from '../pipeline/callbacks.ts'
import type { Callback } from '../fspiop/callback.ts'
import type { Prng } from './prng.ts'
import type { SimClock } from './sim-clock.ts'
import type { SimDfsp } from './dfsps.ts'

export interface SimNetwork extends CallbackSender {
  /** Tries made, delivered or not (for the step log). */
  readonly tries: number
}

export function createSimNetwork(deps: { dfsps: ReadonlyMap<string, SimDfsp>; prng: Prng; clock: SimClock; delivered: (dfsp: SimDfsp, callback: Callback) => void }): SimNetwork {
  let tries = 0
  async function attempt(callback: Callback): Promise<Attempt> {
    tries++
    const dfsp = deps.dfsps.get(callback.to)
    if (!dfsp) return { ok: false, url: undefined, reason: `${callback.to} has no ${callback.endpointType} endpoint`, retryable: false }
    const url = `http://${dfsp.name}.sim${callback.path}`
    const answer = dfsp.wireAnswer(deps.prng, deps.clock.now_ms())
    switch (answer) {
      case 'ok':
        dfsp.receive(callback, deps.clock.now_ms())
        deps.delivered(dfsp, callback)
        return { ok: true, url }
      case 'fail': return { ok: false, url, reason: `${callback.method} ${url} answered 503`, retryable: true }
      case 'timeout': return { ok: false, url, reason: `${callback.method} ${url} failed: timed out`, retryable: true }
      case 'refuse': return { ok: false, url, reason: `${callback.method} ${url} answered 400`, retryable: false }
    }
  }
  return {
    get tries() { return tries },
    attempt,
    async deliver(callback): Promise<Delivery> {
      let last: Attempt | undefined
      for (let n = 1; n <= ATTEMPTS_MAX; n++) {
        last = await attempt(callback)
        if (last.ok) return { ok: true, attempts: n, url: last.url }
        if (!last.retryable) return { ok: false, attempts: n, url: last.url, reason: last.reason }
      }
      const failed = last as Extract<Attempt, { ok: false }>
      return { ok: false, attempts: ATTEMPTS_MAX, url: failed.url, reason: failed.reason }
    },
    async close() {},
  }
}
