// Who is acting, for the audit log: the x-agora-operator header (set by the operator's gateway or CLI),
// else FSPIOP-Source, else "operator".
import type { FastifyRequest } from 'fastify'

const ACTOR_LENGTH_MAX = 128

export function actorOf(request: FastifyRequest): string {
  const header = request.headers['x-agora-operator'] ?? request.headers['fspiop-source']
  const actor = Array.isArray(header) ? header[0] : header
  return (actor && actor.trim()) ? actor.trim().slice(0, ACTOR_LENGTH_MAX) : 'operator'
}
