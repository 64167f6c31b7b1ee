// Every FSPIOP route is checked against the official API definition of the version its request is
// written in, before its handler runs: the version first (Content-Type, Accept), then the headers the
// document requires, then the path parameters, then the body. Validators are looked up when the route is
// added and compiled once, at their first request (operation-validator.ts).
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify'
import { fspiopApiDefinition, type ApiDefinition, type JsonSchema } from './api-definition.ts'
import { FspiopError } from './errors.ts'
import { requestVersion, SUPPORTED_VERSIONS, type FspiopVersion } from './headers.ts'
import { operationValidator, type OperationValidator } from './operation-validator.ts'

/**
 * Resources whose `{ID}` is a CorrelationId. The documents type the path ID as any string; the switch
 * holds it to the same UUID-or-ULID rule as the body's id, so a malformed id is refused at once (and
 * never reaches the ledger's 36-character id columns).
 */
export const CORRELATION_ID_RESOURCES: ReadonlySet<string> = new Set(['transfers', 'quotes', 'bulkTransfers', 'bulkQuotes', 'transactionRequests', 'authorizations', 'fxTransfers', 'fxQuotes'])

/**
 * Headers Mojaloop's services require where the documents leave them optional: the quoting service routes a
 * quote request by FSPIOP-Destination and refuses one without it (3102, "Missing mandatory element").
 */
export const REQUIRED_HEADERS: Readonly<Record<string, readonly string[]>> = { 'POST /quotes': ['fspiop-destination'], 'POST /bulkQuotes': ['fspiop-destination'] }

type Kind = 'request' | 'callback' | 'get'

function kindOf(method: string): Kind {
  if (method === 'POST') return 'request'
  if (method === 'GET' || method === 'DELETE') return 'get'
  return 'callback'
}

/**
 * Path parameters the documents leave as bare strings that the switch holds to their data type: the
 * id of a CorrelationId resource, a party's Type (PartyIdType) and the currencies of /services/FXP (Currency).
 */
function pathOverrides(definition: ApiDefinition, resource: string): Record<string, JsonSchema> {
  const overrides: Record<string, JsonSchema> = {}
  const correlationId = definition.schema('CorrelationId')
  const partyIdType = definition.schema('PartyIdType')
  if (CORRELATION_ID_RESOURCES.has(resource) && correlationId) overrides.ID = correlationId
  if ((resource === 'parties' || resource === 'participants') && partyIdType) overrides.Type = partyIdType
  const currency = definition.schema('Currency')
  if (resource === 'services' && currency) Object.assign(overrides, { SourceCurrency: currency, TargetCurrency: currency })
  return overrides
}

/** `/transfers/:id` is `/transfers/{ID}` in the documents; other parameters keep their names. */
export function documentPath(url: string): { path: string; params: [route: string, document: string][] } {
  const params: [string, string][] = []
  const path = url.replace(/:([A-Za-z]+)/g, (_match, name: string) => {
    const documentName = name === 'id' ? 'ID' : name
    params.push([name, documentName])
    return `{${documentName}}`
  })
  return { path, params }
}

/** The validators of one route for each version, or undefined when no document defines the route. */
export function routeValidators(method: string, url: string): Record<FspiopVersion, OperationValidator | undefined> | undefined {
  const { path } = documentPath(url)
  const resource = path.split('/')[1] ?? ''
  const byVersion = Object.fromEntries(SUPPORTED_VERSIONS.map((version) => {
    const definition = fspiopApiDefinition(version)
    return [version, operationValidator(definition, method, path, { paramOverrides: pathOverrides(definition, resource), requiredHeaders: REQUIRED_HEADERS[`${method} ${path}`] })]
  }))
  return Object.values(byVersion).some(Boolean) ? byVersion as Record<FspiopVersion, OperationValidator | undefined> : undefined
}

/**
 * A route that some versions define but not the request's (the v2.0-only fxQuotes, fxTransfers and
 * services/FXP asked in 1.x): 3001, unsupported version, with the versions that have it in the
 * extension list as Mojaloop's header validation lists its supported ones, so the client knows which to
 * use. (An operation no version defines is 3002, Unknown URI, from the not-found handler.)
 */
function notInVersion(method: string, path: string, version: FspiopVersion, byVersion: Record<FspiopVersion, OperationValidator | undefined>): FspiopError {
  const having = SUPPORTED_VERSIONS.filter((v) => byVersion[v])
  return new FspiopError('3001', `${method} ${path} is not part of FSPIOP ${version}; supported: ${having.join(', ')}`, {
    extension: having.map((v) => ({ key: v.split('.')[0]!, value: v.split('.')[1]! })),
  })
}

export function validateFspiopRequests(app: FastifyInstance): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method]
    const validators = new Map(methods.map((method) => [method, routeValidators(method, route.url)] as const))
    if (![...validators.values()].some(Boolean)) return
    const { path, params } = documentPath(route.url)
    const resource = path.split('/')[1] ?? ''
    const check = async (request: FastifyRequest): Promise<void> => {
      const forMethod = validators.get(request.method)
      if (!forMethod) return
      const version = requestVersion(request.headers, resource, kindOf(request.method))
      const validator = forMethod[version]
      if (!validator) throw notInVersion(request.method, path, version, forMethod)
      const raw = request.params as Record<string, string>
      const named: Record<string, string> = {}
      for (const [routeName, documentName] of params) named[documentName] = raw[routeName]!
      validator.check({ headers: request.headers, params: named, body: request.body })
    }
    const existing = route.preValidation === undefined ? [] : Array.isArray(route.preValidation) ? route.preValidation : [route.preValidation]
    route.preValidation = [check, ...existing]
  })
}
