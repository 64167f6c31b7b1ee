// Authentication and the role check for every route of the admin app (admin API and web view), in one
// onRequest hook, before any body is read: the route's rule (route-access.ts) says who may call it; the
// caller is a bearer token's `sub` (else, on the admin API over AGORA_ADMIN_TLS, a mapped client certificate's
// subject; on the web view's routes, the session cookie's name). A token, when sent, wins. 401 without
// valid credentials, 403 without an allowed role, both errorInformation 3000 (docs/adr/0009-operator-identity.md).
// AGORA_ENV=development leaves the admin API (not the web view) open, the x-agora-operator header naming the actor.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Config } from '../config/config.ts'
import { FspiopError } from '../fspiop/errors.ts'
import type { Sessions } from './sessions.ts'
import { accessFor, isWebRoute, routeKey } from './route-access.ts'
import { createTokenVerifier, type TokenCheck, type TokenVerifier } from './operator-tokens.ts'
import { OPERATOR_ROLES, type OperatorIdentity } from '../config/operator-roles.ts'
import { certificateIdentities, readAdminClients } from './admin-clients.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated caller of an admin route (undefined on public routes). */
    operator?: OperatorIdentity
  }
  interface FastifyInstance {
    /** "METHOD /url" of every route registered on the admin app, for the check that each has a rule. */
    adminRouteKeys: string[]
  }
}

const ACTOR_LENGTH_MAX = 128
const BEARER = /^Bearer +([A-Za-z0-9_.~+/-]+=*)$/

export const ADMIN_DEVELOPMENT_WARNING = [
  '!!! AGORA_ENV=development: the admin API is OPEN. Anyone who reaches the admin port can onboard DFSPs,',
  '!!! move funds, change limits and close settlement windows, and the audit log records whatever name the',
  '!!! x-agora-operator header claims. Never run a real scheme like this: set AGORA_ENV=production (the default).',
].join('\n')

class AuthError extends FspiopError {
  readonly status: number
  constructor(status: number, detail: string) {
    super('3000', detail)
    this.status = status
  }
  override get httpStatus(): number {
    return this.status
  }
}

export interface OperatorAuth {
  readonly verifier: TokenVerifier | undefined
}

export function authenticateOperators(app: FastifyInstance, deps: { config: Config; sessions: Sessions }): OperatorAuth {
  const { config, sessions } = deps
  const verifier = createTokenVerifier(config.operators)
  const clients = readAdminClients(config.adminTls.clientsFile)
  const certificateIdentity = certificateIdentities(clients)
  if (config.env === 'production' && !verifier && config.web.users.length === 0 && clients.size === 0) {
    throw new Error('config: AGORA_ENV=production and no operator can authenticate: set AGORA_OPERATOR_JWKS_FILE (agora operators keygen) or AGORA_OIDC_ISSUER, '
      + 'or AGORA_WEB_USERS, or AGORA_ADMIN_CLIENTS_FILE; AGORA_ENV=development leaves the admin API open, for a laptop only')
  }
  const routeKeys: string[] = []
  app.decorate('adminRouteKeys', routeKeys)
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routeKeys.push(routeKey(method, route.url))
  })

  app.addHook('onRequest', async (request, reply) => {
    const url = request.routeOptions.url
    if (url === undefined) return // no such route: the not-found handler answers 3002
    const access = accessFor(request.method, url)
    if (access === 'public') return
    const web = isWebRoute(url)
    if (config.env === 'development' && !web) {
      request.operator = developmentIdentity(request)
      return
    }
    const certificate = web ? undefined : certificateIdentity(request.raw.socket)
    const found = await identify(request, web, verifier, sessions, certificate)
    if (!found.ok) return refuse(reply, found.unavailable ? new FspiopError('2003', found.reason) : new AuthError(401, found.reason))
    request.operator = found.identity
    if (access === undefined) return refuse(reply, new AuthError(403, `no access rule for ${request.method} ${url}: refused to every role`))
    if (!found.identity.roles.some((role) => access.includes(role))) {
      return refuse(reply, new AuthError(403, `${request.method} ${url} needs the role ${access.join(' or ')}; ${found.identity.subject} has ${found.identity.roles.join(', ') || 'no role'}`))
    }
  })
  return { verifier }
}

/** A bearer token, when sent, decides (a bad one is 401 even on a mapped certificate's connection); else a
 *  mapped client certificate (admin API only: a browser presents its certificates on any site's requests). */
async function identify(request: FastifyRequest, web: boolean, verifier: TokenVerifier | undefined, sessions: Sessions,
  certificate: OperatorIdentity | undefined): Promise<TokenCheck> {
  const authorization = request.headers.authorization
  if (authorization !== undefined) {
    const token = BEARER.exec(authorization)?.[1]
    if (!token) return { ok: false, reason: 'the Authorization header must be "Bearer <token>"' }
    if (!verifier) return { ok: false, reason: 'this switch trusts no token issuer (AGORA_OPERATOR_JWKS_FILE, AGORA_OIDC_ISSUER)' }
    return verifier.verify(token)
  }
  if (certificate) return { ok: true, identity: certificate, expiresAt_ms: 0 }
  if (web) {
    const session = sessions.read(request.headers.cookie)
    if (session) return { ok: true, identity: { subject: session.name, roles: session.roles, via: 'session' }, expiresAt_ms: 0 }
    return { ok: false, reason: 'log in first' }
  }
  return { ok: false, reason: 'an operator token is required: Authorization: Bearer <token>' }
}

function refuse(reply: FastifyReply, error: FspiopError): FastifyReply {
  return reply.code(error.httpStatus).send(error.toBody())
}

/** Development mode only: the actor is whoever the x-agora-operator header (else FSPIOP-Source) names. */
function developmentIdentity(request: FastifyRequest): OperatorIdentity {
  const header = request.headers['x-agora-operator'] ?? request.headers['fspiop-source']
  const actor = (Array.isArray(header) ? header[0] : header)?.trim()
  return { subject: actor ? actor.slice(0, ACTOR_LENGTH_MAX) : 'operator', roles: OPERATOR_ROLES, via: 'development' }
}
