// The ISO 20022 mode at the API's edge, so the routes and the pipeline see only FSPIOP bodies:
// - a participant speaks its registered mode on /parties, /quotes, /transfers, /fxQuotes and /fxTransfers: a request in the other
//   mode is refused with 3001 (its answers would come in a form it did not use);
// - an ISO request body is checked against the ISO document and translated to FSPIOP before the route's
//   own schema sees it (3100 when it does not follow the document or cannot be expressed in FSPIOP);
// - an FSPIOP request bound for an ISO20022 participant that ISO 20022 cannot express (a UUID id, an
//   amount with 15 or more integer digits and 4 decimals, an ILP packet without the condition) is refused
//   at once with 3100, instead of being lost on the way.
// The raw body stays as it arrived, so FSPIOP-Signature is verified over what the DFSP signed.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { FspiopError } from '../errors.ts'
import type { ParticipantDirectory } from '../directory.ts'
import { ISO_RESOURCES, isoMessageOf, isoToFspiop, TranslationError } from './iso-translation.ts'
import { inRecipientMode } from './iso-wire.ts'
import { isIsoMediaType } from '../api-mode.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /** The ISO 20022 body as it arrived, when the request was in ISO 20022 (the body is then its FSPIOP form). */
    isoBody?: unknown
  }
}

const PARTY_PARAMS = /^\/parties\/([^/]+)\/([^/]+)(?:\/(?!error$)([^/]+))?(?:\/error)?$/

function pathOf(request: FastifyRequest): string {
  return request.url.split('?')[0]!
}

function headerOf(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name]
  return Array.isArray(value) ? value[0] : value
}

/** Who a request without FSPIOP-Destination goes to: the payee of a transfer or quote, the FXP of a conversion. */
function implicitRecipient(resource: string, body: Record<string, any>): unknown {
  switch (resource) {
    case 'transfers': return body.payeeFsp
    case 'quotes': return body.payee?.partyIdInfo?.fspId
    case 'fxTransfers': return body.counterPartyFsp
    case 'fxQuotes': return body.conversionTerms?.counterPartyFsp
    default: return undefined
  }
}

export function translateIsoRequests(app: FastifyInstance, deps: { directory: ParticipantDirectory }): void {
  app.addHook('preValidation', async (request) => {
    const path = pathOf(request)
    if (!ISO_RESOURCES.includes(path.split('/')[1] ?? '')) return
    const iso = isIsoMediaType(request.headers['content-type'] || request.headers.accept)
    const source = headerOf(request, 'fspiop-source')
    const sender = source ? await deps.directory.get(source) : undefined
    if (sender && iso !== (sender.apiMode === 'ISO20022')) {
      throw new FspiopError('3001', `${sender.name} is registered for ${sender.apiMode} and must use its content types`)
    }
    if (!iso || request.body === undefined) return
    const message = isoMessageOf(request.method, path)
    if (!message) throw new FspiopError('3100', `${request.method} ${path} has no ISO 20022 form`)
    try {
      request.isoBody = request.body
      request.body = await isoToFspiop(message, request.body)
    } catch (error) {
      if (error instanceof TranslationError) throw new FspiopError('3100', error.message)
      throw error
    }
  })

  // After the route's schema: an FSPIOP message that its ISO 20022 recipient could not be sent.
  app.addHook('preHandler', async (request) => {
    const path = pathOf(request)
    const resource = path.split('/')[1] ?? ''
    if (request.body === undefined || request.isoBody !== undefined || !ISO_RESOURCES.includes(resource)) return
    const body = request.body as Record<string, any>
    const to = headerOf(request, 'fspiop-destination') ?? implicitRecipient(resource, body)
    const recipient = typeof to === 'string' ? await deps.directory.get(to) : undefined
    if (recipient?.apiMode !== 'ISO20022') return
    const party = PARTY_PARAMS.exec(path)
    const id = resource === 'parties' ? undefined : path.split('/')[2]
    const wire = await inRecipientMode({
      method: request.method as 'POST' | 'PUT', path, resource, source: headerOf(request, 'fspiop-source') ?? '', destination: recipient.name, body,
      params: { ...(id ? { transferId: id, quoteId: id, commitRequestId: id, ID: id } : {}), ...(party ? { partyIdType: party[1]!, partyIdentifier: party[2]!, partySubIdOrType: party[3] ?? '' } : {}) },
    }, 'ISO20022')
    // The translation's own reason (the method and path are the request's): FSPIOP keeps 128 characters of a description.
    if (!wire.ok) throw new FspiopError('3100', `${recipient.name} speaks ISO 20022: ${wire.detail}`)
  })
}
