// Account lookup: FSPIOP /participants (who holds this party; register, remove) and /parties (ask the
// DFSP that holds it, and route its answer back). Answers 202/200 at once; results come as callbacks.
import type { FastifyInstance } from 'fastify'
import { FspiopError, type ErrorInformation } from '../fspiop/errors.ts'
import { parseFspiopGetHeaders, parseFspiopHeaders, type FspiopHeaders, type FspiopVersion } from '../fspiop/headers.ts'
import { forward, publish, requireActive, type ForwardDeps } from '../pipeline/forward.ts'
import type { Notification } from '../pipeline/messages.ts'
import type { Oracle, PartyKey } from './oracle.ts'
import { partyFailure, partyIdOf, registeredBody, registrationRefusal, resultTo } from './party-registration.ts'

export interface LookupDeps extends ForwardDeps {
  oracle: Oracle
  /** The largest body of a batch POST /participants (config.limits.body.fspiopBatch_bytes). */
  batchBodyLimit_bytes: number
}

type PartyParams = { Type: string; ID: string; SubId?: string }

function keyOf(p: PartyParams): PartyKey {
  return { type: p.Type, id: p.ID, subId: p.SubId }
}

function partyPath(resource: string, p: PartyParams): string {
  return `/${resource}/${p.Type}/${p.ID}${p.SubId ? `/${p.SubId}` : ''}`
}

function hubCallback(deps: LookupDeps, to: string, resource: string, endpointType: string, path: string, p: PartyParams, version: FspiopVersion, body: unknown): Notification {
  return {
    to, endpointType, method: 'PUT', path, params: { partyIdType: p.Type, partyIdentifier: p.ID, partySubIdOrType: p.SubId ?? '' },
    suffix: endpointType.endsWith('_ERROR') ? undefined : p.SubId ? `/${p.SubId}` : undefined,
    resource, version, source: deps.hubName, destination: to, hubOriginated: true, body,
  }
}

function hubError(deps: LookupDeps, to: string, resource: 'participants' | 'parties', p: PartyParams, version: FspiopVersion, error: FspiopError): Notification {
  const endpointType = resource === 'parties' ? 'FSPIOP_CALLBACK_URL_PARTIES_PUT_ERROR' : 'FSPIOP_CALLBACK_URL_PARTICIPANT_PUT_ERROR'
  return hubCallback(deps, to, resource, endpointType, `${partyPath(resource, p)}/error`, p, version, error.toBody())
}

export async function lookupRoutes(app: FastifyInstance, deps: LookupDeps): Promise<void> {
  const routes = (path: string) => [path, `${path}/:SubId`]

  // Who holds a party: answered by the oracle with PUT /participants/{Type}/{ID}.
  for (const path of routes('/participants/:Type/:ID')) {
    app.get<{ Params: PartyParams; Querystring: { currency?: string } }>(path, async (request, reply) => {
      const h = parseFspiopGetHeaders(request.headers, 'participants')
      await requireActive(deps.directory, h.source, 'FSPIOP-Source')
      const found = await oracleAnswer(() => deps.oracle.lookup(keyOf(request.params), request.query.currency))
      if (found instanceof FspiopError) {
        await publish(deps, [hubError(deps, h.source, 'participants', request.params, h.acceptVersion, found)])
        return reply.code(202).send()
      }
      const fspId = found
      await publish(deps, [fspId
        ? hubCallback(deps, h.source, 'participants', 'FSPIOP_CALLBACK_URL_PARTICIPANT_PUT', partyPath('participants', request.params), request.params, h.acceptVersion, { fspId })
        : hubError(deps, h.source, 'participants', request.params, h.acceptVersion, new FspiopError('3204', 'no DFSP holds this party'))])
      return reply.code(202).send()
    })

    // ALS: the result goes to FSPIOP-Destination if named, else to the DFSP the party is registered for;
    // an error goes to FSPIOP-Source. The hub operator may register parties on behalf of any DFSP.
    app.post<{ Params: PartyParams; Body: { fspId: string; currency?: string } }>(path, async (request, reply) => {
      const h = parseFspiopHeaders(request.headers, { resource: 'participants', kind: 'request' })
      const source = await requireActive(deps.directory, h.source, 'FSPIOP-Source')
      if (h.destination) await requireActive(deps.directory, h.destination, 'FSPIOP-Destination')
      const { fspId, currency } = request.body
      const p = request.params
      const refusal = registrationRefusal(source, fspId) ?? (source.isHub ? await notADfsp(deps, fspId) : undefined)
      const registered = refusal ?? (await oracleAnswer(() => deps.oracle.register(keyOf(p), fspId, currency)))
      await publish(deps, [registered === true
        ? hubCallback(deps, resultTo(h.destination, fspId), 'participants', 'FSPIOP_CALLBACK_URL_PARTICIPANT_PUT', partyPath('participants', p), p, h.acceptVersion,
          registeredBody({ partyIdType: p.Type, partyIdentifier: p.ID, partySubIdOrType: p.SubId, fspId }, currency))
        : hubError(deps, h.source, 'participants', p, h.acceptVersion, registered instanceof FspiopError ? registered : new FspiopError('3003', 'another DFSP already holds this party'))])
      return reply.code(202).send()
    })

    app.delete<{ Params: PartyParams }>(path, async (request, reply) => {
      const h = parseFspiopGetHeaders(request.headers, 'participants')
      await requireActive(deps.directory, h.source, 'FSPIOP-Source')
      const ok = await deps.oracle.remove(keyOf(request.params), h.source)
      await publish(deps, [ok
        ? hubCallback(deps, h.source, 'participants', 'FSPIOP_CALLBACK_URL_PARTICIPANT_PUT', partyPath('participants', request.params), request.params, h.acceptVersion, { fspId: h.source })
        : hubError(deps, h.source, 'participants', request.params, h.acceptVersion, new FspiopError('3040', 'this DFSP does not hold the party'))])
      return reply.code(202).send()
    })

    // A DFSP's answer about participants, routed to the DFSP it is for.
    app.put<{ Params: PartyParams; Body: { fspId: string } }>(path, async (request, reply) => {
      const h = parseFspiopHeaders(request.headers, { resource: 'participants', kind: 'callback' })
      await routeBack(deps, h, request.headers, 'participants', 'FSPIOP_CALLBACK_URL_PARTICIPANT_PUT', request.params, request.body, partyPath('participants', request.params))
      return reply.code(200).send()
    })
  }

  // ALS registers only the parties whose fspId is FSPIOP-Source (the hub too: 3204 for the others) and
  // sends the result to FSPIOP-Destination if named, else to FSPIOP-Source.
  // The API definition holds partyList to 10,000 entries (maxItems, checked by request-validation.ts); the
  // oracle registers them in one call.
  app.post<{ Body: { requestId: string; partyList: { partyIdType: string; partyIdentifier: string; partySubIdOrType?: string; fspId?: string }[]; currency?: string } }>(
    '/participants', { bodyLimit: deps.batchBodyLimit_bytes }, async (request, reply) => {
      const h = parseFspiopHeaders(request.headers, { resource: 'participants', kind: 'request' })
      const source = await requireActive(deps.directory, h.source, 'FSPIOP-Source')
      if (h.destination) await requireActive(deps.directory, h.destination, 'FSPIOP-Destination')
      const { currency, requestId } = request.body
      const own = request.body.partyList.filter((party) => party.fspId === source.name)
      const answers = await deps.oracle.registerAll(own.map((p) => ({ type: p.partyIdType, id: p.partyIdentifier, subId: p.partySubIdOrType })), source.name, currency)
      let next = 0
      const partyList = request.body.partyList.map((party) => {
        if (party.fspId !== source.name) return partyFailure(party, '3204')
        const registered = answers[next++]
        if (registered === true) return { partyId: partyIdOf(party) }
        return registered instanceof FspiopError ? partyFailure(party, registered.code, registered.detail) : partyFailure(party, '3003', 'another DFSP already holds this party')
      })
      const to = resultTo(h.destination, h.source)
      await publish(deps, [{
        to, endpointType: 'FSPIOP_CALLBACK_URL_PARTICIPANT_BATCH_PUT', method: 'PUT', path: `/participants/${requestId}`, params: { requestId },
        resource: 'participants', version: h.acceptVersion, source: deps.hubName, destination: to, hubOriginated: true,
        body: { ...(currency ? { currency } : {}), partyList },
      }])
      return reply.code(202).send()
    })

  // GET /parties: asked of the DFSP that holds the party.
  for (const path of routes('/parties/:Type/:ID')) {
    app.get<{ Params: PartyParams }>(path, async (request, reply) => {
      const h = parseFspiopGetHeaders(request.headers, 'parties')
      await requireActive(deps.directory, h.source, 'FSPIOP-Source')
      const owner = h.destination ?? (await deps.oracle.lookup(keyOf(request.params)))
      const holder = owner ? await deps.directory.get(owner) : undefined
      if (!owner || !holder?.isActive) {
        await publish(deps, [hubError(deps, h.source, 'parties', request.params, h.acceptVersion, new FspiopError('3204', owner ? `${owner} is not an active participant` : 'no DFSP holds this party'))])
        return reply.code(202).send()
      }
      await forward(deps, h, request.headers, {
        to: owner, endpointType: 'FSPIOP_CALLBACK_URL_PARTIES_GET', method: 'GET', path: partyPath('parties', request.params),
        params: { partyIdType: request.params.Type, partyIdentifier: request.params.ID }, suffix: request.params.SubId ? `/${request.params.SubId}` : undefined,
        resource: 'parties', destination: owner, body: undefined,
      })
      return reply.code(202).send()
    })

    app.put<{ Params: PartyParams; Body: unknown }>(path, async (request, reply) => {
      const h = parseFspiopHeaders(request.headers, { resource: 'parties', kind: 'callback' })
      await routeBack(deps, h, request.headers, 'parties', 'FSPIOP_CALLBACK_URL_PARTIES_PUT', request.params, request.body, partyPath('parties', request.params))
      return reply.code(200).send()
    })
  }

  for (const path of ['/parties/:Type/:ID/error', '/parties/:Type/:ID/:SubId/error', '/participants/:Type/:ID/error', '/participants/:Type/:ID/:SubId/error']) {
    const resource = path.startsWith('/parties') ? 'parties' : 'participants'
    app.put<{ Params: PartyParams; Body: { errorInformation: ErrorInformation } }>(path, async (request, reply) => {
      const h = parseFspiopHeaders(request.headers, { resource, kind: 'callback' })
      const endpointType = resource === 'parties' ? 'FSPIOP_CALLBACK_URL_PARTIES_PUT_ERROR' : 'FSPIOP_CALLBACK_URL_PARTICIPANT_PUT_ERROR'
      await routeBack(deps, h, request.headers, resource, endpointType, request.params, request.body, `${partyPath(resource, request.params)}/error`)
      return reply.code(200).send()
    })
  }
}

/** What the oracle answered, or the FspiopError it refused with (e.g. no oracle for the type and currency). */
async function oracleAnswer<T>(ask: () => Promise<T>): Promise<T | FspiopError> {
  try {
    return await ask()
  } catch (error) {
    if (error instanceof FspiopError) return error
    throw error
  }
}

/** The hub registers parties for the scheme's active DFSPs only. */
async function notADfsp(deps: LookupDeps, fspId: string): Promise<FspiopError | undefined> {
  const dfsp = await deps.directory.get(fspId)
  return dfsp?.isActive && !dfsp.isHub ? undefined : new FspiopError('3003', `fspId ${fspId} is not an active DFSP of this scheme`)
}

async function routeBack(deps: LookupDeps, h: FspiopHeaders, raw: Record<string, unknown>, resource: string, endpointType: string, p: PartyParams, body: unknown, path: string): Promise<void> {
  await requireActive(deps.directory, h.source, 'FSPIOP-Source')
  await requireActive(deps.directory, h.destination, 'FSPIOP-Destination')
  await forward(deps, h, raw, {
    to: h.destination!, endpointType, method: 'PUT', path, params: { partyIdType: p.Type, partyIdentifier: p.ID, partySubIdOrType: p.SubId ?? '' },
    suffix: !endpointType.endsWith('_ERROR') && p.SubId ? `/${p.SubId}` : undefined, resource, destination: h.destination!, body,
  })
}
