// How a reference DFSP talks to the switch: FSPIOP requests and callbacks over keep-alive connections,
// with the headers from switch/fspiop/headers.ts and, when the scheme asks for it, an FSPIOP-Signature.
import { Pool } from 'undici'
import { outgoingHeaders, type FspiopVersion } from '../../switch/fspiop/headers.ts'
import { signJws } from '../../switch/fspiop/jws.ts'

export const CONNECTIONS_TO_SWITCH = 64
export const REQUEST_TIMEOUT_MS = 10_000

export interface SwitchAnswer {
  status: number
  body: any
}

export class SwitchClient {
  private readonly pool: Pool

  constructor(
    switchUrl: string,
    private readonly source: string,
    private readonly version: FspiopVersion,
    private readonly jwsPrivateKey?: string,
  ) {
    this.pool = new Pool(switchUrl, { connections: CONNECTIONS_TO_SWITCH, pipelining: 1, keepAliveTimeout: 30_000 })
  }

  async send(method: 'GET' | 'POST' | 'PUT', path: string, resource: string, body: unknown, destination: string | undefined): Promise<SwitchAnswer> {
    const json = body === undefined ? undefined : JSON.stringify(body)
    const headers = outgoingHeaders({ resource, version: this.version, source: this.source, destination, method, path, hubOriginated: this.jwsPrivateKey !== undefined })
    if (this.jwsPrivateKey && json !== undefined) headers['fspiop-signature'] = signJws(headers, json, this.jwsPrivateKey)
    const response = await this.pool.request({ method, path, headers, body: json, headersTimeout: REQUEST_TIMEOUT_MS, bodyTimeout: REQUEST_TIMEOUT_MS })
    const text = await response.body.text()
    return { status: response.statusCode, body: text ? JSON.parse(text) : undefined }
  }

  close(): Promise<void> {
    return this.pool.close()
  }
}
