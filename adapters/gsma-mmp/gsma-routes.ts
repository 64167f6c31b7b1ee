// The GSMA Mobile Money API v1.2 the MMP platform calls, as it would call another MMP: account holder name
// (an FSPIOP lookup), quotations, transfers (202 and a request state, the final object by callback), request
// states, transactions, batches (gsma-batch-routes.ts), missing responses and the heartbeat. Every error is the GSMA error object with the
// status of its category; services the connector does not offer are refused with one too, never a bare 404.
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify'
import type { Connector } from '../connector-core/connector.ts'
import { FspiopFailure } from '../connector-core/fspiop-failure.ts'
import { gsmaErrorOf } from './error-mapping.ts'
import { registerBatchRoutes } from './gsma-batch-routes.ts'
import type { GsmaBatches } from './gsma-batches.ts'
import { GsmaError } from './gsma-errors.ts'
import { httpDate } from './gsma-headers.ts'
import { fspiopPartyOf, identifiersOfPath } from './gsma-identifiers.ts'
import type { GsmaPayments } from './gsma-payments.ts'
import type { RequestStore } from './gsma-store.ts'
import { accountNameOf, quotationOf, requestStateOf, transactionOf } from './gsma-views.ts'

/** Services of the specification this connector does not offer (README "Mobile-money providers: the GSMA connector"). */
const UNSUPPORTED = [
  '/transactions/:ref/reversals', '/authorisationcodes', '/accounts/*',
  '/debitmandates/*', '/links/*', '/bills/*', '/billcompanies', '/statemententries/*',
]

export interface GsmaRouteDeps {
  connector: Connector
  payments: GsmaPayments
  requests: RequestStore
  batches: GsmaBatches
}

/** `late` is filled once the connector core has started (the API listens first: its URL is the callback
 *  base the core's recovery may already need); until then the GSMA API answers serviceUnavailable. */
export function registerGsmaRoutes(app: FastifyInstance, late: Partial<GsmaRouteDeps>): void {
  const deps = late as GsmaRouteDeps
  app.addHook('onSend', async (_request, reply) => { reply.header('x-date', httpDate()) })
  app.addHook('onRequest', async (request, reply) => {
    if (!late.connector && !request.url.startsWith('/callbacks/')) return sendError(reply, new GsmaError('serviceUnavailable/genericError', 'the connector is starting'))
  })
  app.setErrorHandler((error: FastifyError, request, reply) => sendError(reply, gsmaErrorFromThrown(error, request.log)))
  app.setNotFoundHandler((request, reply) => sendError(reply, new GsmaError('identification/identifierError', `no resource ${request.method} ${request.url.split('?')[0]}`, [{ key: 'path', value: request.url.slice(0, 256) }])))

  const notFound = (what: string, id: string) => new GsmaError('identification/identifierError', `no ${what} ${id}`, [{ key: 'providedValue', value: id }])

  async function accountName(identifiers: { key: string; value: string }[], reply: FastifyReply) {
    const party = fspiopPartyOf(identifiers, 'account')
    try {
      return reply.code(200).send(accountNameOf(await deps.connector.lookupParty(party.idType, party.idValue)))
    } catch (error) {
      if (error instanceof FspiopFailure) throw gsmaErrorOf(error.errorCode, error.errorDescription)
      throw error
    }
  }
  app.get<{ Params: { type: string; id: string } }>('/accounts/:type/:id/accountname', (request, reply) => accountName([{ key: request.params.type, value: request.params.id }], reply))
  app.get<{ Params: { ids: string } }>('/accounts/:ids/accountname', (request, reply) => accountName(identifiersOfPath(request.params.ids), reply))

  app.post('/transactions/type/transfer', async (request, reply) => reply.code(202).send(await deps.payments.startTransfer(request.headers, request.body)))
  app.post('/quotations', async (request, reply) => reply.code(202).send(await deps.payments.startQuotation(request.headers, request.body)))

  app.get<{ Params: { id: string } }>('/requeststates/:id', async (request, reply) => {
    const row = await deps.requests.byServerCorrelationId(request.params.id)
    if (row) return reply.code(200).send(requestStateOf(row, await deps.connector.payer.get(row.transferId)))
    const batch = await deps.batches.requestState(request.params.id)
    if (!batch) throw notFound('request state', request.params.id)
    return reply.code(200).send(batch)
  })
  app.get<{ Params: { ref: string } }>('/transactions/:ref', async (request, reply) => {
    const row = await deps.requests.byObjectReference('transfer', request.params.ref)
    if (!row) throw notFound('transaction', request.params.ref)
    return reply.code(200).send(transactionOf(row, await deps.connector.payer.get(row.transferId)))
  })
  app.get<{ Params: { ref: string } }>('/quotations/:ref', async (request, reply) => {
    const row = await deps.requests.byObjectReference('quotation', request.params.ref)
    if (!row) throw notFound('quotation', request.params.ref)
    return reply.code(200).send(quotationOf(row, await deps.connector.payer.get(row.transferId)))
  })
  // Missing Response Retrieval: a link to the resource a client correlation id created.
  app.get<{ Params: { id: string } }>('/responses/:id', async (request, reply) => {
    const row = await deps.requests.byClientCorrelationId(request.params.id.toLowerCase())
    if (!row) throw notFound('response for client correlation id', request.params.id)
    return reply.code(200).send({ link: `/${row.kind === 'quotation' ? 'quotations' : 'transactions'}/${row.objectReference}` })
  })
  registerBatchRoutes(app, late)
  app.get('/heartbeat', async (_request, reply) => reply.code(200).send({ serviceStatus: 'available' }))

  const unsupported = (request: { method: string; url: string }, reply: FastifyReply) => sendError(reply,
    new GsmaError('businessRule/genericError', `${request.method} ${request.url.split('?')[0]} is not a service this connector offers`, [{ key: 'path', value: request.url.slice(0, 256) }]))
  for (const path of UNSUPPORTED) app.route({ method: ['GET', 'POST', 'PATCH', 'PUT'], url: path, handler: unsupported })
  // Other transaction types (merchantpay, billpay, ...): v1.2's transactionTypeError.
  app.post<{ Params: { type: string } }>('/transactions/type/:type', (request, reply) => sendError(reply,
    new GsmaError('businessRule/transactionTypeError', `transaction type ${request.params.type.slice(0, 64)} is not offered by this connector (transfer is)`, [{ key: 'type', value: request.params.type.slice(0, 256) }])))
  app.patch('/transactions/:ref', unsupported)
  app.patch('/batchtransactions/:id', unsupported)
  app.post('/quotations/:ref', unsupported)

  // Agora's own, outside the GSMA API: registers an account this MMP holds with the switch's account lookup.
  app.post<{ Params: { type: string; id: string } }>('/connector/accounts/:type/:id', async (request, reply) => {
    const party = fspiopPartyOf([{ key: request.params.type, value: request.params.id }], 'account')
    await deps.connector.registerParty(party.idType, party.idValue)
    return reply.code(200).send({ identifierType: request.params.type, identifier: request.params.id, fspId: deps.connector.fspId })
  })
}

function sendError(reply: FastifyReply, error: GsmaError) {
  return reply.code(error.httpStatus).type('application/json; charset=utf-8').send(error.toBody())
}

/** Fastify's own refusals (content type, JSON syntax, size) as the GSMA errors for them. */
function gsmaErrorFromThrown(error: FastifyError, log: { error: (o: object, m: string) => void }): GsmaError {
  if (error instanceof GsmaError) return error
  if (error instanceof FspiopFailure) return gsmaErrorOf(error.errorCode, error.errorDescription)
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return new GsmaError('validation/formatError', 'Content-Type must be application/json', [{ key: 'header', value: 'Content-Type' }])
  if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return new GsmaError('validation/mandatoryValueNotSupplied', 'the request has no body')
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new GsmaError('validation/lengthError', 'the request body is too large')
  if (error.statusCode === 400 || error instanceof SyntaxError) return new GsmaError('validation/formatError', `the body is not valid JSON: ${error.message}`)
  if (error.statusCode && error.statusCode < 500) return new GsmaError('validation/genericError', error.message)
  log.error({ err: error }, 'gsma API: request failed')
  return new GsmaError('internal/genericError')
}
