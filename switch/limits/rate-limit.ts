// A rate limit per participant on the FSPIOP API: a token bucket per FSPIOP-Source (in production the
// participant the client certificate proved, as authenticateParticipants runs first). A request over the
// limit is answered at once, before it is parsed, with HTTP 429 Too Many Requests, a Retry-After and the
// FSPIOP error 2005 "Server busy" in the FSPIOP error shape. Mojaloop's own services have no request rate
// limit (a scheme puts one in its API gateway); 2005 is the API's code for a server refusing requests
// under load, and 429 tells the DFSP's HTTP client the refusal is about its own rate. Per process: see
// token-buckets.ts.
import type { FastifyInstance } from 'fastify'
import { FspiopError } from '../fspiop/errors.ts'
import type { LimitsConfig } from '../config/config.ts'
import { createTokenBuckets } from './token-buckets.ts'

/** Probes and scrapers are never limited. */
const UNLIMITED_ROUTES: ReadonlySet<string> = new Set(['/health', '/metrics'])

export const RATE_LIMITED_HTTP_STATUS = 429

export function limitParticipantRates(app: FastifyInstance, rate: LimitsConfig['rate'], now_ms?: () => number): void {
  if (rate.perParticipant_per_s === 0) return
  const buckets = createTokenBuckets({ rate_per_s: rate.perParticipant_per_s, burst: rate.burst }, now_ms)
  app.addHook('onRequest', async (request, reply) => {
    if (UNLIMITED_ROUTES.has(request.routeOptions.url ?? '')) return
    const header = request.headers['fspiop-source']
    const source = (Array.isArray(header) ? header[0] : header) ?? ''
    const taken = buckets.take(source)
    if (taken.ok) return
    request.log.warn({ source: source.slice(0, 32), retryAfter_ms: taken.retryAfter_ms }, 'participant over its request rate')
    const error = new FspiopError('2005', `${source.slice(0, 32) || 'a request without FSPIOP-Source'} is over ${rate.perParticipant_per_s} requests/s (burst ${rate.burst})`)
    return reply.code(RATE_LIMITED_HTTP_STATUS).header('retry-after', String(Math.max(1, Math.ceil(taken.retryAfter_ms / 1000)))).send(error.toBody())
  })
}
