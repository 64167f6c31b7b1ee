// How a connector talks FSPIOP to the switch, like any DFSP: its public FSPIOP API, the headers the
// specification asks for, an FSPIOP-Signature when the connector has a signing key, and retries of a
// send the switch did not take (network error, 5xx), with backoff. Every FSPIOP request is idempotent by
// its own id at the switch, so sending it again is safe.
import { Pool } from 'undici'
import type { Logger } from 'pino'
import { outgoingHeaders, type FspiopVersion } from '../../switch/fspiop/headers.ts'
import { signJws } from '../../switch/fspiop/jws.ts'

export const CONNECTIONS_TO_SWITCH = 16
export const SWITCH_REQUEST_TIMEOUT_MS = 10_000
export const SWITCH_SEND_ATTEMPTS_MAX = 4
export const SWITCH_RETRY_FIRST_MS = 100

export interface SwitchAnswer {
  status: number
  body: any
}

export interface SwitchClientOptions {
  switchUrl: string
  fspId: string
  version: FspiopVersion
  jwsPrivateKeyPem?: string
  logger: Logger
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH'

/** Adds FSPIOP-URI, FSPIOP-HTTP-Method and the FSPIOP-Signature of `body` to `headers` (which carry the
 *  Date and FSPIOP-Source), as every signed request of a connector carries them. */
export function signRequest(headers: Record<string, string>, method: Method, path: string, body: string, privateKeyPem: string): Record<string, string> {
  const signed = { ...headers, 'fspiop-uri': path, 'fspiop-http-method': method }
  return { ...signed, 'fspiop-signature': signJws(signed, body, privateKeyPem) }
}

export class SwitchClient {
  private readonly pool: Pool

  constructor(private readonly options: SwitchClientOptions) {
    this.pool = new Pool(options.switchUrl, { connections: CONNECTIONS_TO_SWITCH, pipelining: 1, keepAliveTimeout: 30_000 })
  }

  /** Sends one FSPIOP message; retries while the switch cannot be reached or answers 5xx. */
  async send(method: Method, path: string, resource: string, body: unknown, destination: string | undefined): Promise<SwitchAnswer> {
    let lastError: unknown
    for (let attempt = 1; attempt <= SWITCH_SEND_ATTEMPTS_MAX; attempt++) {
      try {
        const answer = await this.sendOnce(method, path, resource, body, destination)
        if (answer.status < 500 || attempt === SWITCH_SEND_ATTEMPTS_MAX) return answer
        lastError = new Error(`switch answered ${answer.status}`)
      } catch (error) {
        lastError = error
      }
      this.options.logger.warn({ method, path, attempt, err: lastError }, 'FSPIOP send to the switch failed, retrying')
      await new Promise((r) => setTimeout(r, SWITCH_RETRY_FIRST_MS * 2 ** (attempt - 1)))
    }
    throw lastError
  }

  private async sendOnce(method: Method, path: string, resource: string, body: unknown, destination: string | undefined): Promise<SwitchAnswer> {
    const json = body === undefined ? undefined : JSON.stringify(body)
    const signing = this.options.jwsPrivateKeyPem !== undefined && json !== undefined
    const headers = outgoingHeaders({ resource, version: this.options.version, source: this.options.fspId, destination, method, path, hubOriginated: signing })
    if (signing) headers['fspiop-signature'] = signJws(headers, json!, this.options.jwsPrivateKeyPem!)
    const response = await this.pool.request({ method, path, headers, body: json, headersTimeout: SWITCH_REQUEST_TIMEOUT_MS, bodyTimeout: SWITCH_REQUEST_TIMEOUT_MS })
    const text = await response.body.text()
    let parsed: unknown
    try { parsed = text ? JSON.parse(text) : undefined } catch { parsed = text }
    return { status: response.statusCode, body: parsed }
  }

  close(): Promise<void> {
    return this.pool.close()
  }
}
