// FSPIOP /bulkQuotes: POST (payer asks the payee named by FSPIOP-Destination), PUT /{id} and /{id}/error
// (payee answers), GET /{id}. The same headers, signature and API-definition checks as /quotes, carried
// by the `quote` topic (keyed by bulk quote id) to the bulk side of the quote handler.
import type { FastifyInstance } from 'fastify'
import { FspiopError } from '../fspiop/errors.ts'
import { parseFspiopHeaders } from '../fspiop/headers.ts'
import type { ForwardDeps } from '../pipeline/forward.ts'
import { checkAmount } from '../../ledger/domain/money.ts'
import { checkExpiration } from '../fspiop/expiration.ts'
import { quoteAnswerRoutes, quoteRefusal, quoteTopic } from './quote-routes.ts'

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
  const topic = quoteTopic(deps, 'bulkQuotes')
  const { send, message } = topic
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

  quoteAnswerRoutes(app, deps, 'bulkQuotes', topic, limits)
}
