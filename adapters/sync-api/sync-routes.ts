// The synchronous API a core calls (openapi.yaml): one HTTP call runs a payment from lookup to the
// switch's final state. POST /payments (or /transfers, sdk-scheme-adapter's outbound name) starts one;
// PUT .../{transferId} with acceptParty or acceptQuote continues one that waits for the core; GET reads
// one (after a timeout, a lost connection or a restart). POST /parties/{idType}/{idValue} registers a
// party this DFSP holds with the switch's account lookup.
import type { FastifyInstance, FastifyReply } from 'fastify'
import { FspiopFailure } from '../connector-core/fspiop-failure.ts'
import { httpStatusOfFspiopError } from '../connector-core/http-status.ts'
import type { Connector } from '../connector-core/connector.ts'
import type { PaymentRequest } from '../connector-core/payer.ts'
import { paymentAnswer } from './payment-view.ts'

const party = {
  type: 'object', required: ['idType', 'idValue'], additionalProperties: true,
  properties: { idType: { type: 'string', pattern: '^[A-Z_]{2,32}$' }, idValue: { type: 'string', minLength: 1, maxLength: 128 }, idSubValue: { type: 'string', maxLength: 128 }, displayName: { type: 'string', maxLength: 128 } },
}
const paymentSchema = {
  type: 'object', required: ['from', 'to', 'amountType', 'currency', 'amount'], additionalProperties: true,
  properties: {
    transferId: { type: 'string', pattern: '^[0-9a-zA-Z-]{26,36}$' }, homeTransactionId: { type: 'string', maxLength: 128 },
    from: party, to: party, amountType: { enum: ['SEND', 'RECEIVE'] }, currency: { type: 'string', pattern: '^[A-Z]{3}$' },
    // A decimal string; its scale is checked against the currency when the payment starts.
    amount: { type: 'string' }, note: { type: 'string', maxLength: 128 }, autoAcceptParty: { type: 'boolean' }, autoAcceptQuote: { type: 'boolean' },
  },
}
const acceptSchema = { type: 'object', additionalProperties: false, minProperties: 1, properties: { acceptParty: { type: 'boolean' }, acceptQuote: { type: 'boolean' } } }

export function registerSyncRoutes(app: FastifyInstance, connector: Connector): void {
  const { payer } = connector
  app.setErrorHandler((error: any, _request, reply) => {
    if (error instanceof FspiopFailure) return reply.code(httpStatusOfFspiopError(error.errorCode)).send({ statusCode: error.errorCode, message: error.errorDescription })
    if (error.validation) {
      const missing = error.validation.some((v: any) => v.keyword === 'required')
      return reply.code(400).send({ statusCode: missing ? '3102' : '3100', message: error.message })
    }
    if (error.statusCode && error.statusCode < 500) return reply.code(error.statusCode).send({ statusCode: '3101', message: error.message })
    reply.log.error({ err: error }, 'sync API: request failed')
    return reply.code(500).send({ statusCode: '2001', message: 'Internal server error' })
  })

  const send = (reply: FastifyReply, answer: { status: number; body: unknown }) => reply.code(answer.status).send(answer.body)
  const start = async (request: { body: unknown }, reply: FastifyReply) => send(reply, paymentAnswer(await payer.pay(request.body as PaymentRequest)))
  const read = async (request: { params: { id: string } }, reply: FastifyReply) => {
    const payment = await payer.get(request.params.id)
    if (!payment) throw FspiopFailure.of('3208', `no payment ${request.params.id}`)
    return send(reply, paymentAnswer(payment))
  }
  const accept = async (request: { params: { id: string }; body: unknown }, reply: FastifyReply) => {
    const payment = await payer.accept(request.params.id, request.body as { acceptParty?: boolean; acceptQuote?: boolean })
    if (!payment) throw FspiopFailure.of('3208', `no payment ${request.params.id}`)
    return send(reply, paymentAnswer(payment))
  }
  for (const base of ['/payments', '/transfers']) {
    app.post(base, { schema: { body: paymentSchema } }, start)
    app.get<{ Params: { id: string } }>(`${base}/:id`, read)
    app.put<{ Params: { id: string } }>(`${base}/:id`, { schema: { body: acceptSchema } }, accept)
  }
  app.post<{ Params: { idType: string; idValue: string } }>('/parties/:idType/:idValue', async (request, reply) => {
    await connector.registerParty(request.params.idType, request.params.idValue)
    return reply.code(200).send({ idType: request.params.idType, idValue: request.params.idValue, fspId: connector.fspId })
  })
}
