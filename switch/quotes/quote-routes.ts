// FSPIOP /quotes: POST (payer asks), PUT /{id} and /{id}/error (payee answers), GET /{id}. Checked here
// for what needs no ledger, then carried by the `quote` topic to the quote handler.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { FspiopError } from '../fspiop/errors.ts'
import { parseFspiopGetHeaders, parseFspiopHeaders, type FspiopHeaders } from '../fspiop/headers.ts'
import { requireActive, type ForwardDeps } from '../fspiop/forward.ts'
import { dateTime, errorBody, extensionList, fspId, money, uuid } from '../fspiop/common-schemas.ts'
import { PARTY_ID_TYPES } from '../lookup/lookup-schemas.ts'
import { checkAmount } from '../../ledger/domain/money.ts'
import { requestHash } from '../../ledger/domain/request-hash.ts'
import type { QuoteMessage } from './quote-messages.ts'
import { TOPICS } from '../pipeline/messages.ts'

const party = {
  type: 'object', required: ['partyIdInfo'],
  properties: { partyIdInfo: { type: 'object', required: ['partyIdType', 'partyIdentifier'], properties: { partyIdType: { type: 'string', enum: [...PARTY_ID_TYPES] }, partyIdentifier: { type: 'string', minLength: 1, maxLength: 128 }, partySubIdOrType: { type: 'string' }, fspId } } },
} as const
const quoteBody = {
  type: 'object', required: ['quoteId', 'transactionId', 'payee', 'payer', 'amountType', 'amount', 'transactionType'],
  properties: {
    quoteId: uuid, transactionId: uuid, transactionRequestId: uuid, payee: party, payer: party,
    amountType: { type: 'string', enum: ['SEND', 'RECEIVE'] }, amount: money, fees: money,
    transactionType: { type: 'object', required: ['scenario', 'initiator', 'initiatorType'], properties: { scenario: { type: 'string' }, initiator: { type: 'string', enum: ['PAYER', 'PAYEE'] }, initiatorType: { type: 'string' } } },
    expiration: dateTime, note: { type: 'string', maxLength: 128 }, extensionList,
  },
} as const
const quotePutBody = {
  type: 'object', required: ['transferAmount', 'expiration', 'ilpPacket', 'condition'],
  properties: { transferAmount: money, payeeReceiveAmount: money, payeeFspFee: money, payeeFspCommission: money, expiration: dateTime, ilpPacket: { type: 'string', minLength: 1, maxLength: 32768 }, condition: { type: 'string', pattern: '^[A-Za-z0-9-_]{43}$' }, extensionList },
} as const
const idParams = { type: 'object', required: ['id'], properties: { id: uuid } } as const

function passHeaders(request: FastifyRequest): Record<string, string> {
  const out: Record<string, string> = {}
  for (const name of ['date', 'fspiop-signature', 'fspiop-uri', 'fspiop-http-method']) {
    const v = request.headers[name]
    if (typeof v === 'string') out[name] = v
  }
  return out
}

interface QuoteRequestBody {
  quoteId: string
  payer: { partyIdInfo: { fspId?: string } }
  payee: { partyIdInfo: { fspId?: string } }
  amount: { amount: string; currency: string }
  expiration?: string
}

export async function quoteRoutes(app: FastifyInstance, deps: ForwardDeps): Promise<void> {
  const send = (m: QuoteMessage) => deps.producer.send([{ topic: deps.topic(TOPICS.quote), key: m.quoteId, value: JSON.stringify(m) }])
  const message = (kind: QuoteMessage['kind'], id: string, h: FspiopHeaders, request: FastifyRequest, body: unknown): QuoteMessage =>
    ({ kind, quoteId: id, source: h.source, destination: h.destination, version: h.version, hash: requestHash(body ?? {}), body, passHeaders: passHeaders(request) })

  app.post<{ Body: any }>('/quotes', { schema: { body: quoteBody } }, async (request, reply) => {
    const h = parseFspiopHeaders(request.headers, { resource: 'quotes', kind: 'request' })
    const body = request.body as QuoteRequestBody
    const payerFsp = body.payer.partyIdInfo.fspId
    if (payerFsp && payerFsp !== h.source) throw new FspiopError('3100', `FSPIOP-Source ${h.source} is not the payer's DFSP ${payerFsp}`)
    const payee = h.destination ?? body.payee.partyIdInfo.fspId
    const amount = checkAmount(body.amount.amount, body.amount.currency)
    if (!amount.ok) throw new FspiopError('3100', amount.message)
    if (body.expiration && Date.parse(body.expiration) <= Date.now()) throw new FspiopError('3302', `expiration ${body.expiration} has passed`)
    const currency = body.amount.currency
    for (const [name, what] of [[h.source, 'payer DFSP'], [payee, 'payee DFSP']] as const) {
      const p = await requireActive(deps.directory, name, what)
      if (!p.accounts.get(`${currency}:POSITION`)?.isActive) throw new FspiopError(what === 'payer DFSP' ? '3100' : '5106', `${p.name} does not hold ${currency}`)
    }
    await send({ ...message('request', body.quoteId, h, request, body), destination: payee })
    return reply.code(202).send()
  })

  app.put<{ Params: { id: string }; Body: any }>('/quotes/:id', { schema: { params: idParams, body: quotePutBody } }, async (request, reply) => {
    const h = parseFspiopHeaders(request.headers, { resource: 'quotes', kind: 'callback' })
    await requireActive(deps.directory, h.source, 'FSPIOP-Source')
    await send(message('response', request.params.id, h, request, request.body))
    return reply.code(200).send()
  })

  app.put<{ Params: { id: string }; Body: any }>('/quotes/:id/error', { schema: { params: idParams, body: errorBody } }, async (request, reply) => {
    const h = parseFspiopHeaders(request.headers, { resource: 'quotes', kind: 'callback' })
    await requireActive(deps.directory, h.source, 'FSPIOP-Source')
    await send(message('error', request.params.id, h, request, request.body))
    return reply.code(200).send()
  })

  app.get<{ Params: { id: string } }>('/quotes/:id', { schema: { params: idParams } }, async (request, reply) => {
    const h = parseFspiopGetHeaders(request.headers, 'quotes')
    await requireActive(deps.directory, h.source, 'FSPIOP-Source')
    await send(message('get', request.params.id, h, request, undefined))
    return reply.code(202).send()
  })
}
