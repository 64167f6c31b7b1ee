// What a DFSP sends to the switch, for tests: prepares, fulfils, errors and GETs with FSPIOP headers.
import { randomBytes, randomUUID } from 'node:crypto'
import { conditionOf } from '../../ledger/domain/fulfilment.ts'
import { contentTypeFor, type FspiopVersion } from '../../switch/fspiop/headers.ts'

export interface SentTransfer {
  transferId: string
  fulfilment: string
  condition: string
  body: Record<string, unknown>
}

export function fspiopHeaders(source: string, destination: string | undefined, version: FspiopVersion = '1.1', resource = 'transfers'): Record<string, string> {
  return {
    'content-type': contentTypeFor(resource, version), accept: contentTypeFor(resource, version), date: new Date().toUTCString(),
    'fspiop-source': source, ...(destination ? { 'fspiop-destination': destination } : {}),
  }
}

export function newTransfer(payer: string, payee: string, amount: string, opts: { currency?: string; expiresIn_ms?: number; transferId?: string } = {}): SentTransfer {
  const fulfilment = randomBytes(32).toString('base64url')
  const transferId = opts.transferId ?? randomUUID()
  return {
    transferId, fulfilment, condition: conditionOf(fulfilment),
    body: {
      transferId, payerFsp: payer, payeeFsp: payee, amount: { amount, currency: opts.currency ?? 'USD' },
      ilpPacket: randomBytes(64).toString('base64url'), condition: conditionOf(fulfilment),
      expiration: new Date(Date.now() + (opts.expiresIn_ms ?? 60_000)).toISOString(),
    },
  }
}

export async function send(apiUrl: string, method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${apiUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  const text = await response.text()
  return { status: response.status, body: text ? JSON.parse(text) : undefined }
}

export async function prepare(apiUrl: string, t: SentTransfer, opts: { source?: string; version?: FspiopVersion } = {}) {
  const b = t.body as { payerFsp: string; payeeFsp: string }
  return send(apiUrl, 'POST', '/transfers', fspiopHeaders(opts.source ?? b.payerFsp, b.payeeFsp, opts.version), t.body)
}

export async function fulfil(apiUrl: string, t: SentTransfer, opts: { source?: string; fulfilment?: string; state?: string; version?: FspiopVersion } = {}) {
  const b = t.body as { payerFsp: string; payeeFsp: string }
  const body = { transferState: opts.state ?? 'COMMITTED', fulfilment: opts.fulfilment ?? t.fulfilment, completedTimestamp: new Date().toISOString() }
  const headers = fspiopHeaders(opts.source ?? b.payeeFsp, b.payerFsp, opts.version)
  delete headers.accept
  return send(apiUrl, 'PUT', `/transfers/${t.transferId}`, headers, body)
}

export async function reject(apiUrl: string, t: SentTransfer, code = '5104', description = 'Payee rejected transaction') {
  const b = t.body as { payerFsp: string; payeeFsp: string }
  const headers = fspiopHeaders(b.payeeFsp, b.payerFsp)
  delete headers.accept
  return send(apiUrl, 'PUT', `/transfers/${t.transferId}/error`, headers, { errorInformation: { errorCode: code, errorDescription: description } })
}
