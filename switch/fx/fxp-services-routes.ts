// FSPIOP v2.0 GET /services/FXP and GET /services/FXP/{SourceCurrency}/{TargetCurrency}: which participants
// offer currency conversion (fxp-directory.ts says who counts). Answered asynchronously, through the
// notification topic like every callback, with PUT /services/FXP (resp. /services/FXP/{Source}/{Target})
// to the requester. The v2.0 definition has no /error for these resources and says "if no participants
// offer these services, the return object will be blank": no FXP is `{"providers": []}`, not an error.
// The callback goes to the requester's FSPIOP_CALLBACK_URL_FX_QUOTES base URL: Mojaloop defines no
// endpoint type for services, and a DFSP that asks for FXPs receives their fxQuote answers there.
import type { FastifyInstance } from 'fastify'
import { parseFspiopGetHeaders, type FspiopHeaders } from '../fspiop/headers.ts'
import { publish, requireActive, type ForwardDeps } from '../pipeline/forward.ts'
import type { Db } from '../../ledger/store/db.ts'
import { FX_QUOTES_ENDPOINT } from './fx-quote-messages.ts'
import { fxpProviders, loadFxpCandidates, type CurrencyPair } from './fxp-directory.ts'

export async function fxpServicesRoutes(app: FastifyInstance, deps: ForwardDeps & { db: Db }): Promise<void> {
  const answer = async (h: FspiopHeaders, path: string, pair?: CurrencyPair) => {
    const providers = fxpProviders(await loadFxpCandidates(deps.db), h.source, pair)
    await publish(deps, [{
      to: h.source, endpointType: FX_QUOTES_ENDPOINT, method: 'PUT', path, params: {}, suffix: path, resource: 'services', version: h.acceptVersion,
      source: deps.hubName, destination: h.source, hubOriginated: true, body: { providers }, reference: path,
    }])
  }

  app.get('/services/FXP', async (request, reply) => {
    const h = parseFspiopGetHeaders(request.headers, 'services')
    await requireActive(deps.directory, h.source, 'FSPIOP-Source')
    await answer(h, '/services/FXP')
    return reply.code(202).send()
  })

  app.get<{ Params: { SourceCurrency: string; TargetCurrency: string } }>('/services/FXP/:SourceCurrency/:TargetCurrency', async (request, reply) => {
    const h = parseFspiopGetHeaders(request.headers, 'services')
    await requireActive(deps.directory, h.source, 'FSPIOP-Source')
    const { SourceCurrency: source, TargetCurrency: target } = request.params
    await answer(h, `/services/FXP/${source}/${target}`, { source, target })
    return reply.code(202).send()
  })
}
