// The connector's FSPIOP side, where the switch calls it: requests (lookups, quotes, prepares) it answers
// later with callbacks, and callbacks to its own requests. It answers the switch at once (202 for a
// request, 200 for a callback) and does the work afterwards. With inbound signature checks on, a message
// with a body must carry an FSPIOP-Signature of its FSPIOP-Source (the payer, the payee or the hub).
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import type { Logger } from 'pino'
import { verifyJws } from '../../switch/fspiop/jws.ts'
import type { BulkPayee } from './bulk-payee.ts'
import { FspiopFailure } from './fspiop-failure.ts'
import type { Payee } from './payee.ts'
import type { Payer } from './payer.ts'
import type { Waiters } from './waiters.ts'

export const CALLBACK_BODY_BYTES_MAX = 1_048_576
export const JWS_DATE_WINDOW_S = 300
const UNSIGNED_FULFIL_PATH = /^\/transfers\/[^/?]+$/

export interface CallbackServerDeps {
  payer: Payer
  payee: Payee
  bulkPayee: BulkPayee
  waiters: Waiters
  logger: Logger
  /** Public keys (PEM) by FSP id, the hub's included; when set, every message with a body must be signed. */
  verifyKeys?: ReadonlyMap<string, string>
}

type Headers = Record<string, string | string[] | undefined>
const one = (h: Headers, name: string) => { const v = h[name]; return Array.isArray(v) ? v[0] : v }

export function buildCallbackServer(deps: CallbackServerDeps): FastifyInstance {
  const { payer, payee, bulkPayee, waiters } = deps
  const app: FastifyInstance = Fastify({ loggerInstance: deps.logger.child({ part: 'fspiop' }, { level: 'warn' }) as FastifyBaseLogger, bodyLimit: CALLBACK_BODY_BYTES_MAX })
  app.addContentTypeParser(/^application\/(vnd\.interoperability\..+\+)?json/, { parseAs: 'string' }, (request, body, done) => {
    (request as unknown as { rawBody: string }).rawBody = body as string
    try { done(null, body ? JSON.parse(body as string) : undefined) } catch (error) { done(error as Error, undefined) }
  })
  if (deps.verifyKeys) {
    const keys = deps.verifyKeys
    app.addHook('preHandler', async (request, reply) => {
      const rawBody = (request as unknown as { rawBody?: string }).rawBody
      if (rawBody === undefined) return
      const check = verifyJws({ method: request.method, url: request.url, headers: request.headers, rawBody }, keys.get(String(one(request.headers, 'fspiop-source'))), { dateWindow_s: JWS_DATE_WINDOW_S })
      if (check.ok) return
      // The switch tells a payer COMMITTED for a payee that answered RESERVED with a body the payee never
      // signed. Such a message is taken unsigned only for its fulfilment, which proves itself against the
      // payer's own condition (payer.resolve checks it); anything else in it is ignored.
      if (!one(request.headers, 'fspiop-signature') && request.method === 'PUT' && UNSIGNED_FULFIL_PATH.test(request.url)) {
        (request as unknown as { unsigned: boolean }).unsigned = true
        return
      }
      deps.logger.warn({ url: request.url, method: request.method, source: one(request.headers, 'fspiop-source'), reason: check.reason }, 'connector: FSPIOP-Signature refused')
      return reply.code(400).send(FspiopFailure.of('3105', check.reason).toBody())
    })
  }

  /** Work after the answer: a failure is logged, never thrown back at the switch. */
  const later = (what: string, work: () => Promise<unknown>) => {
    setImmediate(() => { work().catch((error) => deps.logger.error({ err: error, what }, 'connector: handling a switch message failed')) })
  }
  const source = (h: Headers) => String(one(h, 'fspiop-source') ?? '')
  const errorOf = (body: any) => FspiopFailure.fromBody(body)

  // ---- lookups ----
  app.get<{ Params: { type: string; id: string; sub?: string } }>('/parties/:type/:id/:sub?', async (request, reply) => {
    const { type, id, sub } = request.params
    later('party lookup', () => payee.answerParty(type, id, sub, source(request.headers)))
    return reply.code(202).send()
  })
  const partyCallback = (path: string, body: any, error?: FspiopFailure) => waiters.settle(`party:${path}`, body, error)
  app.put<{ Params: { type: string; id: string } }>('/parties/:type/:id', async (request, reply) => {
    partyCallback(`/parties/${request.params.type}/${request.params.id}`, request.body)
    return reply.code(200).send()
  })
  app.put<{ Params: { type: string; id: string; sub: string } }>('/parties/:type/:id/:sub', async (request, reply) => {
    const { type, id, sub } = request.params
    if (sub === 'error') partyCallback(`/parties/${type}/${id}`, undefined, errorOf(request.body))
    else partyCallback(`/parties/${type}/${id}/${sub}`, request.body)
    return reply.code(200).send()
  })
  app.put<{ Params: { type: string; id: string; sub: string } }>('/parties/:type/:id/:sub/error', async (request, reply) => {
    const { type, id, sub } = request.params
    partyCallback(`/parties/${type}/${id}/${sub}`, undefined, errorOf(request.body))
    return reply.code(200).send()
  })

  // ---- party registration (POST /participants/{type}/{id}) ----
  app.put<{ Params: { type: string; id: string } }>('/participants/:type/:id', async (request, reply) => {
    waiters.settle(`participant:${request.params.type}/${request.params.id}`, request.body)
    return reply.code(200).send()
  })
  app.put<{ Params: { type: string; id: string } }>('/participants/:type/:id/error', async (request, reply) => {
    waiters.settle(`participant:${request.params.type}/${request.params.id}`, undefined, errorOf(request.body))
    return reply.code(200).send()
  })

  // ---- quotes ----
  app.post('/quotes', async (request, reply) => {
    later('quote', () => payee.answerQuote(request.body, source(request.headers)))
    return reply.code(202).send()
  })
  app.put<{ Params: { id: string } }>('/quotes/:id', async (request, reply) => {
    waiters.settle(`quote:${request.params.id}`, request.body)
    return reply.code(200).send()
  })
  app.put<{ Params: { id: string } }>('/quotes/:id/error', async (request, reply) => {
    waiters.settle(`quote:${request.params.id}`, undefined, errorOf(request.body))
    return reply.code(200).send()
  })

  // ---- transfers ----
  app.post('/transfers', async (request, reply) => {
    later('prepare', () => payee.answerPrepare(request.body, source(request.headers)))
    return reply.code(202).send()
  })
  app.put<{ Params: { id: string }; Body: any }>('/transfers/:id', async (request, reply) => {
    const id = request.params.id
    const body = request.body as { transferState?: string } | undefined
    const unsigned = (request as unknown as { unsigned?: boolean }).unsigned === true
    later('transfer state', async () => {
      if (await payee.isPayeeOf(id)) return unsigned ? undefined : finishAsPayee(id, body)
      if (unsigned && body?.transferState !== 'COMMITTED') return
      return payer.resolve(id, { body })
    })
    return reply.code(200).send()
  })
  app.put<{ Params: { id: string } }>('/transfers/:id/error', async (request, reply) => {
    const id = request.params.id
    const error = errorOf(request.body)
    later('transfer error', async () => {
      if (await payee.isPayeeOf(id)) return payee.finish(id, 'ABORTED', { errorCode: error.errorCode })
      return payer.resolve(id, { error })
    })
    return reply.code(200).send()
  })
  app.patch<{ Params: { id: string }; Body: any }>('/transfers/:id', async (request, reply) => {
    later('transfer final state', () => finishAsPayee(request.params.id, request.body))
    return reply.code(200).send()
  })

  // ---- bulk (as payee: each item answered like a single quote or transfer) ----
  app.post('/bulkQuotes', async (request, reply) => {
    later('bulk quote', () => bulkPayee.answerBulkQuote(request.body as Parameters<BulkPayee['answerBulkQuote']>[0], source(request.headers)))
    return reply.code(202).send()
  })
  app.post('/bulkTransfers', async (request, reply) => {
    later('bulk prepare', () => bulkPayee.answerBulkTransfer(request.body as Parameters<BulkPayee['answerBulkTransfer']>[0], source(request.headers)))
    return reply.code(202).send()
  })
  app.put<{ Params: { id: string }; Body: Parameters<BulkPayee['finishBulk']>[1] }>('/bulkTransfers/:id', async (request, reply) => {
    later('bulk transfer final state', () => bulkPayee.finishBulk(request.params.id, request.body))
    return reply.code(200).send()
  })
  app.put<{ Params: { id: string } }>('/bulkTransfers/:id/error', async (request, reply) => {
    later('bulk transfer error', () => bulkPayee.abortBulk(request.params.id))
    return reply.code(200).send()
  })

  async function finishAsPayee(id: string, body: any): Promise<void> {
    if (body?.transferState === 'COMMITTED') await payee.finish(id, 'COMMITTED', { completedTimestamp: body.completedTimestamp })
    else if (body?.transferState === 'ABORTED') await payee.finish(id, 'ABORTED', {})
  }

  return app
}
