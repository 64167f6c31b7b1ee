// Delivers FSPIOP callbacks to a DFSP's registered endpoint (URL templates with {{transferId}} and the
// like), over keep-alive connections, retrying with exponential backoff. A callback that cannot be
// delivered is reported with the reason, for the dead-letter record (I6).
import { Agent, request } from 'undici'
import type { ParticipantDirectory } from './directory.ts'
import { outgoingHeaders, type FspiopVersion } from './headers.ts'

export const ATTEMPTS_MAX = 5
export const BACKOFF_FIRST_MS = 100
export const ATTEMPT_TIMEOUT_MS = 5_000
export const CONNECTIONS_PER_ORIGIN = 32

export interface Callback {
  to: string
  endpointType: string
  method: 'POST' | 'PUT' | 'PATCH' | 'GET'
  /** The FSPIOP path, e.g. /transfers/{id}/error (FSPIOP-URI of hub-originated callbacks). */
  path: string
  params: Record<string, string>
  resource: string
  version: FspiopVersion
  source: string
  destination: string
  hubOriginated: boolean
  body: unknown
  /** Headers passed through unchanged from the original request (e.g. FSPIOP-Signature). */
  passHeaders?: Record<string, string>
  /** Appended to the filled endpoint URL (e.g. "/{SubId}" of a party). */
  suffix?: string
}

export type Delivery = { ok: true; attempts: number; url: string } | { ok: false; attempts: number; url: string | undefined; reason: string }

export interface CallbackSender {
  deliver(callback: Callback): Promise<Delivery>
  close(): Promise<void>
}

export interface CallbackSenderOptions {
  directory: ParticipantDirectory
  /** Signs a hub-originated callback (JWS), when the scheme asks for it. */
  sign?: (callback: Callback, headers: Record<string, string>, body: string) => string | undefined
  backoffFirst_ms?: number
}

export function createCallbackSender(opts: CallbackSenderOptions): CallbackSender {
  const agent = new Agent({ connections: CONNECTIONS_PER_ORIGIN, keepAliveTimeout: 30_000, pipelining: 1 })
  const backoff_ms = opts.backoffFirst_ms ?? BACKOFF_FIRST_MS
  return {
    async deliver(callback) {
      const participant = await opts.directory.get(callback.to)
      const template = participant?.endpoints.get(callback.endpointType)
      if (!template) return { ok: false, attempts: 0, url: undefined, reason: `${callback.to} has no ${callback.endpointType} endpoint` }
      const url = fillTemplate(template, callback.params) + (callback.suffix ?? '')
      const body = callback.body === undefined ? undefined : JSON.stringify(callback.body)
      let reason = ''
      for (let attempt = 1; attempt <= ATTEMPTS_MAX; attempt++) {
        const headers = { ...outgoingHeaders(callback), ...callback.passHeaders }
        if (callback.hubOriginated && opts.sign && body !== undefined) {
          const signature = opts.sign(callback, headers, body)
          if (signature) headers['fspiop-signature'] = signature
        }
        try {
          const response = await request(url, { method: callback.method, headers, body, dispatcher: agent, headersTimeout: ATTEMPT_TIMEOUT_MS, bodyTimeout: ATTEMPT_TIMEOUT_MS })
          await response.body.dump()
          if (response.statusCode < 300) return { ok: true, attempts: attempt, url }
          reason = `${callback.method} ${url} answered ${response.statusCode}`
          if (response.statusCode >= 400 && response.statusCode < 500 && response.statusCode !== 429) return { ok: false, attempts: attempt, url, reason }
        } catch (error) {
          reason = `${callback.method} ${url} failed: ${(error as Error).message}`
        }
        if (attempt < ATTEMPTS_MAX) await new Promise((r) => setTimeout(r, backoff_ms * 2 ** (attempt - 1)))
      }
      return { ok: false, attempts: ATTEMPTS_MAX, url, reason }
    },
    close: () => agent.close(),
  }
}

/** Mojaloop endpoint templates: {{transferId}}, {{partyIdType}}, {{partyIdentifier}}, … */
export function fillTemplate(template: string, params: Record<string, string>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ''))
}
