// FSPIOP /quotes: POST (payer asks), PUT /{id} and /{id}/error (payee answers), GET /{id}. Checked here
// for what needs no ledger and the API definition cannot say, then carried by the `quote` topic to the
// quote handler. A request naming a payer or payee that cannot take part is refused by the quote handler,
// asynchronously, as quoting-service does; one from a source that is no participant has nobody to answer
// and is dropped.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { FspiopError } from '../fspiop/errors.ts'
import { parseFspiopGetHeaders, parseFspiopHeaders, type FspiopHeaders } from '../fspiop/headers.ts'
import { passedHeaders, requireActive, type ForwardDeps } from '../pipeline/forward.ts'
import { checkAmount } from '../../ledger/domain/money.ts'
import { requestHash } from '../../ledger/domain/request-hash.ts'
import type { QuoteMessage } from './quote-messages.ts'
import type { DirectoryParticipant } from '../fspiop/directory.ts'
import { TOPICS } from '../pipeline/messages.ts'
import { checkExpiration } from '../fspiop/expiration.ts'
import { requestDeadline } from '../bus/publish-queue.ts'


interface QuoteRequestBody {
  quoteId: string
  payer: { partyIdInfo: { fspId?: string } }
  payee: { partyIdInfo: { fspId?: string } }
  amount: { amount: string; currency: string }
  expiration?: string
}

/**
 * quoting-service's validateQuoteRequest: the payee must be an active participant with an active
 * POSITION account in the amount's currency (3201), the payer an active participant (3202).
 */
export function quoteRefusal(payer: DirectoryParticipant, payeeName: string, payee: DirectoryParticipant | undefined, currency: string): QuoteMessage['refusal'] {
  if (!payer.isActive) return { code: '3202', detail: `Unsupported participant '${payer.name}'` }
  if (!payee?.isActive || !payee.accounts.get(`${currency}:POSITION`)?.isActive) return { code: '3201', detail: `Unsupported participant '${payeeName}'` }
  return undefined
}

export async function quoteRoutes(app: FastifyInstance, deps: ForwardDeps & { expirationHorizon_s: number }): Promise<void> {
  const topic = quoteTopic(deps)
  const { send, message } = topic

  app.post<{ Body: QuoteRequestBody }>('/quotes', async (request, reply) => {
    const h = parseFspiopHeaders(request.headers, { resource: 'quotes', kind: 'request' })
    const body = request.body
    const payerFsp = body.payer.partyIdInfo.fspId
    if (payerFsp && payerFsp !== h.source) throw new FspiopError('3100', `FSPIOP-Source ${h.source} is not the payer's DFSP ${payerFsp}`)
    const payee = h.destination ?? body.payee.partyIdInfo.fspId
    const amount = checkAmount(body.amount.amount, body.amount.currency)
    if (!amount.ok) throw new FspiopError('3100', amount.message)
    checkExpiration(body.expiration, { passedCode: '3302', horizon_s: deps.expirationHorizon_s })
    if (!payee) throw new FspiopError('3102', 'payee DFSP is missing')
    const payer = await deps.directory.get(h.source)
    if (!payer) {
      request.log.warn({ quoteId: body.quoteId, source: h.source }, 'quote from a source that is no participant: nobody to answer')
      return reply.code(202).send()
    }
    const refusal = quoteRefusal(payer, payee, await deps.directory.get(payee), body.amount.currency)
    await send({ ...message('request', body.quoteId, h, request, body), destination: payee, ...(refusal ? { refusal } : {}) })
    return reply.code(202).send()
  })

  quoteAnswerRoutes(app, deps, 'quotes', topic)
}

/** What /quotes, /bulkQuotes and /fxQuotes put on the quote topic (keyed by the quote, bulk quote or conversion request id). */
export function quoteTopic(deps: ForwardDeps, resource?: 'bulkQuotes' | 'fxQuotes') {
  const send = (m: QuoteMessage) => deps.producer.send([{ topic: deps.topic(TOPICS.quote), key: m.quoteId, value: JSON.stringify(m) }], { publishBy: requestDeadline() })
  const message = (kind: QuoteMessage['kind'], id: string, h: FspiopHeaders, request: FastifyRequest, body: unknown): QuoteMessage => ({
    kind, quoteId: id, source: h.source, destination: h.destination, version: h.version, acceptVersion: h.acceptVersion, hash: requestHash(body ?? {}), body,
    passHeaders: passedHeaders(request.headers), ...(resource ? { resource } : {}),
  })
  return { send, message }
}

/** PUT /{id} and /{id}/error (the payee or FXP answers) and GET /{id} (either side asks), alike for quotes, bulk quotes and FX quotes. */
export function quoteAnswerRoutes(app: FastifyInstance, deps: ForwardDeps, resource: 'quotes' | 'bulkQuotes' | 'fxQuotes', topic: ReturnType<typeof quoteTopic>, putOptions: { bodyLimit?: number } = {}): void {
  const { send, message } = topic
  app.put<{ Params: { id: string }; Body: unknown }>(`/${resource}/:id`, putOptions, async (request, reply) => {
    const h = parseFspiopHeaders(request.headers, { resource, kind: 'callback' })
    await requireActive(deps.directory, h.source, 'FSPIOP-Source')
    await send(message('response', request.params.id, h, request, request.body))
    return reply.code(200).send()
  })

  app.put<{ Params: { id: string }; Body: unknown }>(`/${resource}/:id/error`, async (request, reply) => {
    const h = parseFspiopHeaders(request.headers, { resource, kind: 'callback' })
    await requireActive(deps.directory, h.source, 'FSPIOP-Source')
    await send(message('error', request.params.id, h, request, request.body))
    return reply.code(200).send()
  })

  app.get<{ Params: { id: string } }>(`/${resource}/:id`, async (request, reply) => {
    const h = parseFspiopGetHeaders(request.headers, resource)
    await requireActive(deps.directory, h.source, 'FSPIOP-Source')
    await send(message('get', request.params.id, h, request, undefined))
    return reply.code(202).send()
  })
}
