// A small client of the admin API for the CLI: JSON in and out, Mojaloop errors turned into messages.
// It sends the operator's bearer token (--token, AGORA_TOKEN), or presents a client certificate to an https
// admin API (--cert/--key/--ca, AGORA_ADMIN_CERT/KEY/CA; AGORA_ADMIN_TLS); x-agora-operator names the actor
// only in development mode, where the admin API is open.
import { readFileSync } from 'node:fs'
import { Agent, fetch } from 'undici'
import { cliTlsFiles, cliToken, loadConfig } from '../config/config.ts'

/** PEM text: the client certificate and key to present, and the CA the admin API's certificate chains to. */
export interface ClientTls {
  cert?: string
  key?: string
  ca?: string
}

export class AdminClient {
  readonly base: string
  readonly operator: string
  readonly token: string | undefined
  readonly agent: Agent | undefined

  constructor(base: string, operator: string, token?: string, tls?: ClientTls) {
    this.base = base.replace(/\/$/, '')
    this.operator = operator
    this.token = token
    this.agent = tls && (tls.cert || tls.ca) ? new Agent({ connect: { ...tls } }) : undefined
  }

  async request(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        'x-agora-operator': this.operator,
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      ...(this.agent ? { dispatcher: this.agent } : {}),
    })
    const text = await response.text()
    const parsed = text ? JSON.parse(text) : undefined
    if (!response.ok) {
      const info = parsed?.errorInformation
      throw new Error(info ? `${response.status} ${info.errorCode}: ${info.errorDescription}` : `${response.status} ${text}`)
    }
    return parsed
  }

  async close(): Promise<void> {
    await this.agent?.close()
  }
}

/** The CLI's --cert, --key and --ca flags (else AGORA_ADMIN_CERT/KEY/CA), read; a certificate needs its key. */
export function clientTlsFrom(flags: { cert?: unknown; key?: unknown; ca?: unknown }): ClientTls | undefined {
  const env = cliTlsFiles()
  const file = (flag: unknown, fallback: string | undefined) => (typeof flag === 'string' && flag ? flag : fallback)
  const files = { cert: file(flags.cert, env.cert), key: file(flags.key, env.key), ca: file(flags.ca, env.ca) }
  if (Boolean(files.cert) !== Boolean(files.key)) throw new Error('--cert and --key go together (AGORA_ADMIN_CERT, AGORA_ADMIN_KEY): the client certificate and its private key')
  if (!files.cert && !files.ca) return undefined
  const read = (path: string | undefined) => (path ? readFileSync(path, 'utf8') : undefined)
  return { cert: read(files.cert), key: read(files.key), ca: read(files.ca) }
}

/**
 * The admin client of a CLI command: `--admin` (else the configured admin port), `--operator` (development
 * only), `--token` (else AGORA_TOKEN), and the client certificate from `tlsFlags` (else AGORA_ADMIN_CERT,
 * AGORA_ADMIN_KEY, AGORA_ADMIN_CA). A command whose own `--cert` means something else passes no tlsFlags.
 */
export function adminClientFrom(flags: { admin?: unknown; operator?: unknown; token?: unknown }, tlsFlags: { cert?: unknown; key?: unknown; ca?: unknown } = {}): AdminClient {
  const config = loadConfig()
  const text = (value: unknown) => (typeof value === 'string' && value ? value : undefined)
  return new AdminClient(
    text(flags.admin) ?? `http://${config.http.host}:${config.http.adminPort}`,
    text(flags.operator) ?? process.env.USER ?? 'operator',
    text(flags.token) ?? cliToken(),
    clientTlsFrom(tlsFlags),
  )
}
