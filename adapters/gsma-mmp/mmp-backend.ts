// The connector core's payee backend over the MMP's own GSMA API: a lookup is GET /accounts/{key}/{value}/
// accountname, a credit is POST /transactions/type/transfer (answered 201 with the completed transaction, or
// 202 and later a PUT to the connector's callback URL), an abort after the credit is a reversal
// (POST /transactions/{reference}/reversals). A credit is posted with the same X-CorrelationID on every try;
// when the MMP answers duplicateRequest the first request's outcome is fetched through GET /responses/{id}.
// The quote is the connector's own: the amount, no fee (the MMP is not asked for a quotation).
import { createHash } from 'node:crypto'
import { request } from 'undici'
import type { Logger } from 'pino'
import { FspiopFailure } from '../connector-core/fspiop-failure.ts'
import type { CreditRequest, PayeeBackend } from '../connector-core/payee-backend.ts'
import type { Waiters } from '../connector-core/waiters.ts'
import { fspiopFailureOf } from './error-mapping.ts'
import { GsmaError } from './gsma-errors.ts'
import { httpDate, UUID_PATTERN } from './gsma-headers.ts'
import { identifierOf } from './gsma-identifiers.ts'
import type { CreditStore } from './gsma-store.ts'

export const MMP_REQUEST_TIMEOUT_MS = 10_000
/** How long a credit answered 202 waits for the MMP's callback (and never past the transfer's expiry). */
export const MMP_CALLBACK_WAIT_MS = 20_000
const EXPIRY_MARGIN_MS = 2_000

export interface MmpSettings {
  baseUrl: string
  apiKey?: string
  /** This connector's GSMA API as the MMP reaches it: callbacks go to {callbackBase}/callbacks/... */
  callbackBase: string
}

type Answer = { status: number; body: Record<string, unknown> | undefined }

/** X-CorrelationID is a UUID: a transfer id that is one is used as it is, a ULID is hashed into one. */
export function correlationIdFor(id: string): string {
  if (UUID_PATTERN.test(id)) return id.toLowerCase()
  const h = createHash('sha256').update(id).digest('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`
}

export function createMmpBackend(settings: MmpSettings, deps: { credits: CreditStore; waiters: Waiters; logger: Logger }): PayeeBackend & { onCallback(transferId: string, body: unknown): Promise<void> } {
  const base = settings.baseUrl.replace(/\/$/, '')
  const { credits, waiters, logger } = deps

  async function call(method: 'GET' | 'POST', path: string, body?: unknown, extra: Record<string, string> = {}): Promise<Answer> {
    const headers: Record<string, string> = { accept: 'application/json', 'x-date': httpDate(), ...extra, ...(settings.apiKey ? { 'x-api-key': settings.apiKey } : {}) }
    if (body !== undefined) headers['content-type'] = 'application/json'
    const response = await request(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), headersTimeout: MMP_REQUEST_TIMEOUT_MS, bodyTimeout: MMP_REQUEST_TIMEOUT_MS })
    const text = await response.body.text()
    let parsed: Record<string, unknown> | undefined
    try { parsed = text ? (JSON.parse(text) as Record<string, unknown>) : undefined } catch { parsed = undefined }
    return { status: response.statusCode, body: parsed }
  }

  /** A refusal: the MMP's error object as its FSPIOP failure, or 5000 when it sent none. */
  const refusal = (answer: Answer) => {
    const error = GsmaError.fromBody(answer.body)
    return error ? fspiopFailureOf(error) : FspiopFailure.of(answer.status >= 500 ? '5000' : '5105', `the MMP answered ${answer.status}`)
  }

  async function completed(transferId: string, reference: unknown): Promise<{ homeTransactionId?: string }> {
    const ref = typeof reference === 'string' ? reference : null
    await credits.move(transferId, ['POSTED'], { state: 'COMPLETED', mmpTransactionReference: ref })
    return ref ? { homeTransactionId: ref } : {}
  }

  async function outcomeOf(transferId: string, transaction: Record<string, unknown> | undefined): Promise<{ homeTransactionId?: string }> {
    if (transaction?.transactionStatus === 'completed') return completed(transferId, transaction.transactionReference)
    const error = GsmaError.fromBody(transaction) ?? new GsmaError('businessRule/genericError', `the MMP's transaction is ${String(transaction?.transactionStatus)}`)
    await credits.move(transferId, ['POSTED'], { state: 'FAILED', error: error.key })
    throw fspiopFailureOf(error)
  }

  /** The first request with this correlation id went through: its resource tells the outcome. */
  async function firstOutcome(transferId: string, correlationId: string): Promise<{ homeTransactionId?: string }> {
    const response = await call('GET', `/responses/${correlationId}`)
    const link = response.body?.link
    if (response.status !== 200 || typeof link !== 'string') throw refusal(response)
    const resource = await call('GET', link.startsWith('http') ? new URL(link).pathname : link)
    return outcomeOf(transferId, resource.body)
  }

  return {
    async lookupParty(idType, idValue) {
      const id = identifierOf(idType, idValue)
      const answer = await call('GET', `/accounts/${encodeURIComponent(id.key)}/${encodeURIComponent(id.value)}/accountname`)
      if (answer.status !== 200) throw refusal(answer)
      const name = (answer.body?.name ?? {}) as Record<string, string | undefined>
      const complexName = Object.fromEntries(['firstName', 'middleName', 'lastName'].filter((k) => name[k]).map((k) => [k, name[k]!]))
      const fullName = name.fullName ?? Object.values(complexName).join(' ')
      return { party: { partyIdInfo: { partyIdType: idType, partyIdentifier: idValue }, ...(fullName ? { name: fullName.slice(0, 128) } : {}), ...(Object.keys(complexName).length ? { personalInfo: { complexName } } : {}) } }
    },

    async quote(quoteRequest) {
      const amount = quoteRequest.amount as { amount: string; currency: string }
      return { transferAmount: amount, payeeReceiveAmount: amount }
    },

    async credit(c: CreditRequest) {
      const row = await credits.open(c.transferId, correlationIdFor(c.transferId))
      if (row.state === 'COMPLETED' || row.state === 'COMMITTED') return row.mmpTransactionReference ? { homeTransactionId: row.mmpTransactionReference } : {}
      if (row.state !== 'POSTED') throw FspiopFailure.of('5105', `the MMP's credit is ${row.state}${row.error ? ` (${row.error})` : ''}`)
      const payer = c.transaction.payer.partyIdInfo
      const payee = c.transaction.payee.partyIdInfo
      const expiry_ms = Date.parse(c.transaction.expiration ?? '') || Date.now() + MMP_CALLBACK_WAIT_MS
      const wait_ms = Math.max(0, Math.min(MMP_CALLBACK_WAIT_MS, expiry_ms - Date.now() - EXPIRY_MARGIN_MS))
      const settled = waiters.wait(`credit:${c.transferId}`, wait_ms)
      const answer = await call('POST', '/transactions/type/transfer', {
        amount: c.amount.amount, currency: c.amount.currency, type: 'transfer',
        debitParty: [identifierOf(payer.partyIdType, payer.partyIdentifier)], creditParty: [identifierOf(payee.partyIdType, payee.partyIdentifier)],
        requestingOrganisationTransactionReference: c.transferId, requestDate: new Date().toISOString(),
        ...(c.transaction.note ? { descriptionText: c.transaction.note } : {}),
        metadata: [{ key: 'payerFsp', value: c.payerFsp }],
      }, { 'x-correlationid': row.correlationId, 'x-callback-url': `${settings.callbackBase}/callbacks/credits/${encodeURIComponent(c.transferId)}` })
      if (answer.status === 201 || answer.status === 200) { waiters.settle(`credit:${c.transferId}`, undefined); return outcomeOf(c.transferId, answer.body) }
      if (answer.status !== 202) {
        waiters.settle(`credit:${c.transferId}`, undefined)
        if (GsmaError.fromBody(answer.body)?.key === 'businessRule/duplicateRequest') return firstOutcome(c.transferId, row.correlationId)
        const failure = refusal(answer)
        await credits.move(c.transferId, ['POSTED'], { state: 'FAILED', error: failure.errorDescription })
        throw failure
      }
      await credits.move(c.transferId, ['POSTED'], { serverCorrelationId: String(answer.body?.serverCorrelationId ?? '') })
      try {
        await settled
      } catch (error) {
        if (error instanceof FspiopFailure) throw error
        // No callback in time: the credit is given up; if it completes later it is reversed (onCallback).
        if (await credits.move(c.transferId, ['POSTED'], { state: 'ABANDONED' })) throw FspiopFailure.of('2004', 'the MMP did not complete the credit in time')
      }
      const now = (await credits.get(c.transferId))!
      if (now.state === 'COMPLETED') return now.mmpTransactionReference ? { homeTransactionId: now.mmpTransactionReference } : {}
      throw FspiopFailure.of('5105', `the MMP's credit is ${now.state}${now.error ? ` (${now.error})` : ''}`)
    },

    async notifyFinal(transferId, state) {
      const row = await credits.get(transferId)
      if (!row) return
      if (state === 'COMMITTED') { await credits.move(transferId, ['COMPLETED'], { state: 'COMMITTED' }); return }
      if (row.state === 'COMPLETED') await reverse(transferId, row.mmpTransactionReference)
    },

    /** PUT {X-Callback-URL} from the MMP: the credit's final transaction object, or its error object. */
    async onCallback(transferId, body) {
      const row = await credits.get(transferId)
      if (!row) return
      const transaction = body as Record<string, unknown> | undefined
      const error = GsmaError.fromBody(body)
      if (row.state === 'ABANDONED' && !error && transaction?.transactionStatus === 'completed') {
        logger.warn({ transferId }, 'gsma payee: a credit given up completed late; reversing it')
        await credits.move(transferId, ['ABANDONED'], { state: 'COMPLETED', mmpTransactionReference: String(transaction.transactionReference ?? '') || null })
        await reverse(transferId, typeof transaction.transactionReference === 'string' ? transaction.transactionReference : null)
        return
      }
      if (error) {
        await credits.move(transferId, ['POSTED'], { state: 'FAILED', error: error.key })
        waiters.settle(`credit:${transferId}`, undefined, fspiopFailureOf(error))
      } else if (transaction?.transactionStatus === 'completed') {
        await completed(transferId, transaction.transactionReference)
        waiters.settle(`credit:${transferId}`, transaction)
      }
    },
  }

  async function reverse(transferId: string, reference: string | null): Promise<void> {
    if (!reference) throw new Error(`gsma payee: credit ${transferId} has no MMP transaction reference to reverse`)
    const answer = await call('POST', `/transactions/${encodeURIComponent(reference)}/reversals`, { type: 'reversal' }, {
      'x-correlationid': correlationIdFor(`${transferId}:reversal`), 'x-callback-url': `${settings.callbackBase}/callbacks/reversals/${encodeURIComponent(transferId)}`,
    })
    const duplicate = GsmaError.fromBody(answer.body)?.key === 'businessRule/duplicateRequest'
    // Not reversed yet: the error makes the connector core keep the transfer and ask again at the next sweep.
    if (answer.status >= 300 && !duplicate) throw new Error(`gsma payee: the MMP refused the reversal of ${transferId}: ${answer.status}`)
    await credits.move(transferId, ['COMPLETED'], { state: 'REVERSAL_REQUESTED' })
    logger.info({ transferId, reference }, 'gsma payee: credit reversed at the MMP')
  }
}
