// FSPIOP v2.0 /fxQuotes: POST (the initiating DFSP asks an FXP for a conversion), PUT /{ID} and /{ID}/error
// (the FXP answers), GET /{ID}. Checked here for what needs no ledger and the API definition cannot say,
// then carried by the `quote` topic (resource 'fxQuotes', keyed by conversionRequestId) to the quote
// handler's batch (fx-quote-handler.ts). An FXP that cannot take part is refused there, asynchronously, as
// quoting-service does; a request from a source that is no participant has nobody to answer and is dropped.
import type { FastifyInstance } from 'fastify'
import { FspiopError } from '../fspiop/errors.ts'
import { parseFspiopHeaders } from '../fspiop/headers.ts'
import type { ForwardDeps } from '../pipeline/forward.ts'
import { checkAmount } from '../../ledger/domain/money.ts'
import { checkExpiration } from '../fspiop/expiration.ts'
import type { DirectoryParticipant } from '../fspiop/directory.ts'
import type { QuoteMessage } from '../quotes/quote-messages.ts'
import { quoteAnswerRoutes, quoteTopic } from '../quotes/quote-routes.ts'
import { FX_QUOTES_ENDPOINT, type FxQuoteRequestFields } from './fx-quote-messages.ts'

/**
 * quoting-service's validateFxQuoteRequest: the FXP (FSPIOP-Destination) must be an active participant with
 * an active POSITION account in both the source and the target currency. Its getParticipant answers a
 * counter-party FSP that fails this with VALIDATION_ERROR (3100, "Unsupported participant"), not the 3201
 * of a payee. An FXP without an FSPIOP_CALLBACK_URL_FX_QUOTES endpoint cannot be asked: quoting-service's
 * forwardFxQuoteRequest answers that with DESTINATION_FSP_ERROR (3201). The initiating DFSP must be active
 * (3202, as for quotes).
 */
export function fxQuoteRefusal(initiating: DirectoryParticipant, fxpName: string, fxp: DirectoryParticipant | undefined, currencies: readonly string[]): QuoteMessage['refusal'] {
  if (!initiating.isActive) return { code: '3202', detail: `Unsupported participant '${initiating.name}'` }
  if (!fxp?.isActive || !currencies.every((c) => fxp.accounts.get(`${c}:POSITION`)?.isActive)) return { code: '3100', detail: `Unsupported participant '${fxpName}'` }
  if (!fxp.endpoints.has(FX_QUOTES_ENDPOINT)) return { code: '3201', detail: `No ${FX_QUOTES_ENDPOINT} endpoint found for FSP '${fxpName}'` }
  return undefined
}

export async function fxQuoteRoutes(app: FastifyInstance, deps: ForwardDeps & { expirationHorizon_s: number }): Promise<void> {
  const topic = quoteTopic(deps, 'fxQuotes')
  const { send, message } = topic

  app.post<{ Body: FxQuoteRequestFields }>('/fxQuotes', async (request, reply) => {
    const h = parseFspiopHeaders(request.headers, { resource: 'fxQuotes', kind: 'request' })
    const body = request.body
    const terms = body.conversionTerms
    if (terms.initiatingFsp !== h.source) throw new FspiopError('3100', `FSPIOP-Source ${h.source} is not the initiating DFSP ${terms.initiatingFsp}`)
    if (h.destination && h.destination !== terms.counterPartyFsp) throw new FspiopError('3100', `FSPIOP-Destination ${h.destination} is not the counter-party FXP ${terms.counterPartyFsp}`)
    const fxpName = terms.counterPartyFsp
    if (terms.sourceAmount.amount === undefined && terms.targetAmount.amount === undefined) throw new FspiopError('3100', 'conversionTerms name neither sourceAmount.amount nor targetAmount.amount')
    for (const side of [terms.sourceAmount, terms.targetAmount]) {
      if (side.amount === undefined) continue
      const amount = checkAmount(side.amount, side.currency)
      if (!amount.ok) throw new FspiopError('3100', amount.message)
    }
    checkExpiration(terms.expiration, { passedCode: '3302', horizon_s: deps.expirationHorizon_s })
    const initiating = await deps.directory.get(h.source)
    if (!initiating) {
      request.log.warn({ conversionRequestId: body.conversionRequestId, source: h.source }, 'fxQuote from a source that is no participant: nobody to answer')
      return reply.code(202).send()
    }
    const refusal = fxQuoteRefusal(initiating, fxpName, await deps.directory.get(fxpName), [terms.sourceAmount.currency, terms.targetAmount.currency])
    await send({ ...message('request', body.conversionRequestId, h, request, body), destination: fxpName, ...(refusal ? { refusal } : {}) })
    return reply.code(202).send()
  })

  quoteAnswerRoutes(app, deps, 'fxQuotes', topic)
}
