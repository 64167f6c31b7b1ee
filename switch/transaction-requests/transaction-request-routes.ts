// Payee-initiated payments: /transactionRequests and /authorizations are routed between the DFSPs as
// they are (the switch keeps no state for them), with the same checks of headers and participants.
import type { FastifyInstance } from 'fastify'
import { parseFspiopGetHeaders, parseFspiopHeaders } from '../fspiop/headers.ts'
import { forward, requireActive, type ForwardDeps } from '../pipeline/forward.ts'
import { checkExpiration } from '../fspiop/expiration.ts'

const ROUTES = [
  { resource: 'transactionRequests', endpointType: 'FSPIOP_CALLBACK_URL_TRX_REQ_SERVICE' },
  { resource: 'authorizations', endpointType: 'FSPIOP_CALLBACK_URL_AUTHORIZATIONS' },
] as const

export async function transactionRequestRoutes(app: FastifyInstance, deps: ForwardDeps & { expirationHorizon_s: number }): Promise<void> {
  app.post<{ Body: { transactionRequestId: string; payer: { fspId?: string }; expiration?: string } }>('/transactionRequests', async (request, reply) => {
    const h = parseFspiopHeaders(request.headers, { resource: 'transactionRequests', kind: 'request' })
    await requireActive(deps.directory, h.source, 'FSPIOP-Source')
    const body = request.body
    checkExpiration(body.expiration, { passedCode: undefined, horizon_s: deps.expirationHorizon_s })
    const to = h.destination ?? body.payer.fspId
    const payer = (await requireActive(deps.directory, to, 'FSPIOP-Destination')).name
    await forward(deps, h, request.headers, { to: payer, endpointType: 'FSPIOP_CALLBACK_URL_TRX_REQ_SERVICE', method: 'POST', path: '/transactionRequests', suffix: '/transactionRequests', params: {}, resource: 'transactionRequests', destination: payer, body: request.body, reference: body.transactionRequestId })
    return reply.code(202).send()
  })

  for (const { resource, endpointType } of ROUTES) {
    app.get<{ Params: { id: string } }>(`/${resource}/:id`, async (request, reply) => {
      const h = parseFspiopGetHeaders(request.headers, resource)
      await requireActive(deps.directory, h.source, 'FSPIOP-Source')
      await requireActive(deps.directory, h.destination, 'FSPIOP-Destination')
      const path = `/${resource}/${request.params.id}`
      await forward(deps, h, request.headers, { to: h.destination!, endpointType, method: 'GET', path, suffix: path + (request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : ''), params: {}, resource, destination: h.destination!, body: undefined, reference: request.params.id })
      return reply.code(202).send()
    })
    for (const error of [false, true]) {
      app.put<{ Params: { id: string }; Body: unknown }>(`/${resource}/:id${error ? '/error' : ''}`, async (request, reply) => {
        const h = parseFspiopHeaders(request.headers, { resource, kind: 'callback' })
        await requireActive(deps.directory, h.source, 'FSPIOP-Source')
        await requireActive(deps.directory, h.destination, 'FSPIOP-Destination')
        const path = `/${resource}/${request.params.id}${error ? '/error' : ''}`
        await forward(deps, h, request.headers, { to: h.destination!, endpointType, method: 'PUT', path, suffix: path, params: {}, resource, destination: h.destination!, body: request.body, reference: request.params.id })
        return reply.code(200).send()
      })
    }
  }
}
