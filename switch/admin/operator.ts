// Who is acting, for the audit log: the authenticated operator (a token's `sub`, the web session's name),
// set on the request by switch/operators/operator-auth.ts before the route runs. In development mode it is
// whatever the x-agora-operator header claims.
import type { FastifyRequest } from 'fastify'

export function actorOf(request: FastifyRequest): string {
  const operator = request.operator
  if (!operator) throw new Error(`no authenticated operator on ${request.method} ${request.routeOptions.url}: the route must not be public`)
  return operator.subject
}
