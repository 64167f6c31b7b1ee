// FSPIOP /bulkQuotes: POST (payer asks the payee named by FSPIOP-Destination), PUT /{id} and /{id}/error
// (payee answers), GET /{id}. The same headers, signature and API-definition checks as /quotes, carried
// by the `quote` topic (keyed by bulk quote id) to the bulk side of the quote handler.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { FspiopError } from '../fspiop/errors.ts'
import { parseFspiopGetHeaders, parseFspiopHeaders, type FspiopHeaders } from '../fspiop/headers.ts'
import { passedHeaders, requireActive, type ForwardDeps } from '../pipeline/forward.ts'
import { checkAmount } from '../../ledger/domain/money.ts'
import { requestHash } from '../../ledger/domain/request-hash.ts'
import { TOPICS } from '../pipeline/messages.ts'
import { checkExpiration } from '../fspiop/expiration.ts'
import { requestDeadline } from '../bus/publish-queue.ts'
import type { QuoteMessage } from './quote-messages.ts'
import { quoteRefusal } from './quote-routes.ts'

/** Mojaloop's limit on the quotes of one bulk quote (the API definition's maxItems). */
export const BULK_QUOTES_MAX = 1000

interface BulkQuoteRequestBody {
  bulkQuoteId: string
  payer: { partyIdInfo: { fspId?: string } }
  expiration?: string
  individualQuotes: { quoteId: string; amount: { amount: string; currency: string } }[]
}

/** What the API definition cannot say of a bulk quote request: at most BULK_QUOTES_MAX quotes (3103), well-formed amounts. */
export function checkBulkQuoteRequest(body: BulkQuoteRequestBody): void {
  if (body.individualQuotes.length > BULK_QUOTES_MAX) throw new FspiopError('3103', `a bulk quote holds at most ${BULK_QUOTES_MAX} quotes, not ${body.individualQuotes.length}`)
  for (const q of body.individualQuotes) {
    const amount = checkAmount(q.amount.amount, q.amount.currency)
    if (!amount.ok) throw new FspiopError('3100', `${q.quoteId}: ${amount.message}`)
  }
}

export async function bulkQuoteRoutes(app: FastifyInstance, deps: ForwardDeps & { expirationHorizon_s: number; batchBodyLimit_bytes: number }): Promise<void> {
  const send = (m: QuoteMessage) => deps.producer.send([{ topic: deps.topic(TOPICS.quote), key: m.quoteId, value: JSON.stringify(m) }], { publishBy: requestDeadline() })
  const message = (kind: QuoteMessage['kind'], id: string, h: FspiopHeaders, request: FastifyRequest, body: unknown): QuoteMessage => ({
    kind, quoteId: id, source: h.source, destination: h.destination, version: h.version, acceptVersion: h.acceptVersion, hash: requestHash(body ?? {}), body,
    passHeaders: passedHeaders(request.headers), resource: 'bulkQuotes',
  })
  const limits = { bodyLimit: deps.batchBodyLimit_bytes }

  app.post<{ Body: BulkQuoteRequestBody }>('/bulkQuotes', limits, async (request, reply) => {
    const h = parseFspiopHeaders(request.headers, { resource: 'bulkQuotes', kind: 'request' })
    const body = request.body
    const payerFsp = body.payer.partyIdInfo.fspId
    if (payerFsp && payerFsp !== h.source) throw new FspiopError('3100', `FSPIOP-Source ${h.source} is not the payer's DFSP ${payerFsp}`)
    checkBulkQuoteRequest(body)
    checkExpiration(body.expiration, { passedCode: '3302', horizon_s: deps.expirationHorizon_s })
    const payee = h.destination
    if (!payee) throw new FspiopError('3102', 'FSPIOP-Destination (the payee DFSP) is missing')
    const payer = await deps.directory.get(h.source)
    if (!payer) {
      request.log.warn({ bulkQuoteId: body.bulkQuoteId, source: h.source }, 'bulk quote from a source that is no participant: nobody to answer')
      return reply.code(202).send()
    }
    const refusal = quoteRefusal(payer, payee, await deps.directory.get(payee), body.individualQuotes[0]?.amount.currency ?? '')
    await send({ ...message('request', body.bulkQuoteId, h, request, body), destination: payee, ...(refusal ? { refusal } : {}) })
    return reply.code(202).send()
  })

  app.put<{ Params: { id: string }; Body: unknown }>('/bulkQuotes/:id', limits, async (request, reply) => {
    const h = parseFspiopHeaders(request.headers, { resource: 'bulkQuotes', kind: 'callback' })
    await requireActive(deps.directory, h.source, 'FSPIOP-Source')
    await send(message('response', request.params.id, h, request, request.body))
    return reply.code(200).send()
  })

  app.put<{ Params: { id: string }; Body: unknown }>('/bulkQuotes/:id/error', async (request, reply) => {
    const h = parseFspiopHeaders(request.headers, { resource: 'bulkQuotes', kind: 'callback' })
    await requireActive(deps.directory, h.source, 'FSPIOP-Source')
    await send(message('error', request.params.id, h, request, request.body))
    return reply.code(200).send()
  })

  app.get<{ Params: { id: string } }>('/bulkQuotes/:id', async (request, reply) => {
    const h = parseFspiopGetHeaders(request.headers, 'bulkQuotes')
    await requireActive(deps.directory, h.source, 'FSPIOP-Source')
    await send(message('get', request.params.id, h, request, undefined))
    return reply.code(202).send()
  })
}
