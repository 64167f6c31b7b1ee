// Delivers FSPIOP callbacks to a DFSP's registered endpoint (URL templates with {{transferId}} and the
// like), over keep-alive connections, retrying with exponential backoff. A callback that cannot be
// delivered is reported with the reason, for the dead-letter record (I6). A participant in ISO20022 mode
// gets the ISO 20022 form (iso20022/iso-wire.ts).
import { Agent, request } from 'undici'
import type { ParticipantDirectory } from '../fspiop/directory.ts'
import { outgoingHeaders } from '../fspiop/headers.ts'
import type { Callback } from '../fspiop/callback.ts'
import { inRecipientMode } from '../fspiop/iso20022/iso-wire.ts'
import { endpointUrlProblem } from '../fspiop/endpoint-url.ts'
import { fspiopUriOf } from '../fspiop/fspiop-uri.ts'

export const ATTEMPTS_MAX = 5
export const BACKOFF_FIRST_MS = 100
/** A try's whole time, from waiting for a connection to the end of the answer's body. */
export const ATTEMPT_TIMEOUT_MS = 5_000
/** Connections to each DFSP: every DFSP has its own pool (keyed by the DFSP, not by the origin, so DFSPs
 *  hosted behind one origin do not share connections, and one that holds its connections open exhausts only
 *  its own). Equal to the notification pipeline's per-DFSP budget (RECIPIENT_IN_FLIGHT_MAX), so a try that
 *  holds a slot of the budget never also queues here for a connection. */
export const CONNECTIONS_PER_DFSP = 128


export type Delivery = { ok: true; attempts: number; url: string } | { ok: false; attempts: number; url: string | undefined; reason: string }

/** One try. A failure is retryable unless the DFSP refused the callback (4xx but 429) or has no endpoint. */
export type Attempt = { ok: true; url: string } | { ok: false; url: string | undefined; reason: string; retryable: boolean }

export interface CallbackSender {
  /** Up to ATTEMPTS_MAX tries with exponential backoff. */
  deliver(callback: Callback): Promise<Delivery>
  /** One try, for callers that schedule their own retries. */
  attempt(callback: Callback): Promise<Attempt>
  close(): Promise<void>
}

export interface CallbackSenderOptions {
  directory: ParticipantDirectory
  /** Signs a hub-originated callback (JWS), when the scheme asks for it. */
  sign?: (callback: Callback, headers: Record<string, string>, body: string) => string | undefined
  backoffFirst_ms?: number
  attemptTimeout_ms?: number
  /** Mutual TLS to https endpoints: the hub's client certificate and key, and the scheme CA the DFSP's
   *  server certificate must chain to. Unused for http endpoints. */
  tls?: { cert: string; key: string; ca: string }
}

export function createCallbackSender(opts: CallbackSenderOptions): CallbackSender {
  const backoff_ms = opts.backoffFirst_ms ?? BACKOFF_FIRST_MS
  const attemptTimeout_ms = opts.attemptTimeout_ms ?? ATTEMPT_TIMEOUT_MS
  const agents = new Map<string, Agent>()
  const agentFor = (dfsp: string): Agent => {
    let agent = agents.get(dfsp)
    if (!agent) agents.set(dfsp, (agent = new Agent({ connections: CONNECTIONS_PER_DFSP, keepAliveTimeout: 30_000, pipelining: 1, connect: { timeout: attemptTimeout_ms, ...opts.tls } })))
    return agent
  }
  async function attempt(callback: Callback): Promise<Attempt> {
    const participant = await opts.directory.get(callback.to)
    const template = participant?.endpoints.get(callback.endpointType)
    if (!participant || !template) return { ok: false, url: undefined, reason: `${callback.to} has no ${callback.endpointType} endpoint`, retryable: false }
    const url = fillTemplate(template, callback.params) + (callback.suffix ?? '')
    const unfit = endpointUrlProblem(url)
    if (unfit) return { ok: false, url: undefined, reason: `${callback.to} ${callback.endpointType}: ${unfit}`, retryable: false }
    const wire = await inRecipientMode(callback, participant.apiMode)
    if (!wire.ok) return { ok: false, url, reason: wire.reason, retryable: false }
    const body = wire.body === undefined ? undefined : JSON.stringify(wire.body)
    const headers = { ...outgoingHeaders(callback), ...wire.passHeaders, ...wire.headers }
    // What the hub originates names (and signs) the path it is really sent to.
    if (callback.hubOriginated) headers['fspiop-uri'] = fspiopUriOf(url)
    if (callback.hubOriginated && opts.sign && body !== undefined) {
      const signature = opts.sign(callback, headers, body)
      if (signature) headers['fspiop-signature'] = signature
    }
    try {
      const response = await request(url, { method: callback.method, headers, body, dispatcher: agentFor(callback.to), headersTimeout: attemptTimeout_ms, bodyTimeout: attemptTimeout_ms, signal: AbortSignal.timeout(attemptTimeout_ms) })
      await response.body.dump()
      if (response.statusCode < 300) return { ok: true, url }
      const refused = response.statusCode >= 400 && response.statusCode < 500 && response.statusCode !== 429
      return { ok: false, url, reason: `${callback.method} ${url} answered ${response.statusCode}`, retryable: !refused }
    } catch (error) {
      return { ok: false, url, reason: `${callback.method} ${url} failed: ${(error as Error).message}`, retryable: true }
    }
  }
  return {
    attempt,
    async deliver(callback) {
      let last: Attempt | undefined
      for (let n = 1; n <= ATTEMPTS_MAX; n++) {
        last = await attempt(callback)
        if (last.ok) return { ok: true, attempts: n, url: last.url }
        if (!last.retryable) return { ok: false, attempts: last.url === undefined ? 0 : n, url: last.url, reason: last.reason }
        if (n < ATTEMPTS_MAX) await new Promise((r) => setTimeout(r, backoff_ms * 2 ** (n - 1)))
      }
      const failed = last as Extract<Attempt, { ok: false }>
      return { ok: false, attempts: ATTEMPTS_MAX, url: failed.url, reason: failed.reason }
    },
    close: async () => { await Promise.all([...agents.values()].map((a) => a.close())) },
  }
}

/** Mojaloop endpoint templates: {{transferId}}, {{partyIdType}}, {{partyIdentifier}}, … */
export function fillTemplate(template: string, params: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ''))
}
