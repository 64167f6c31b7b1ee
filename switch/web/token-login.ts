// POST /ui/login/token: a person whose scheme identity provider (or `agora operators token`) gave them a
// bearer token opens a web session with it: the same subject and roles, for at most what is left of the
// token's life (and never more than a password session's 8 hours).
import type { FastifyInstance } from 'fastify'
import type { Db } from '../../ledger/store/db.ts'
import { recordAudit } from '../../ledger/store/audit.ts'
import { FspiopError } from '../fspiop/errors.ts'
import type { TokenVerifier } from '../operators/operator-tokens.ts'
import { SESSION_COOKIE, type Sessions } from '../operators/sessions.ts'
import { sessionCookieFlags } from './security-headers.ts'
import type { Config } from '../config/config.ts'

const TOKEN_LENGTH_MAX = 16_384
const tokenBody = { type: 'object', required: ['token'], properties: { token: { type: 'string', minLength: 1, maxLength: TOKEN_LENGTH_MAX } } } as const

class LoginRefused extends FspiopError {
  override get httpStatus(): number {
    return 401
  }
}

export async function tokenLoginRoute(app: FastifyInstance, deps: { db: Db; config: Config; sessions: Sessions; verifier: TokenVerifier | undefined }): Promise<void> {
  app.post<{ Body: { token: string } }>('/ui/login/token', { schema: { body: tokenBody } }, async (request, reply) => {
    const check = deps.verifier ? await deps.verifier.verify(request.body.token) : { ok: false as const, reason: 'this switch trusts no token issuer' }
    if (!check.ok) throw new LoginRefused('3000', check.reason)
    const { subject, roles } = check.identity
    if (roles.length === 0) throw new LoginRefused('3000', `${subject} has no role of this scheme`)
    const ttl_ms = check.expiresAt_ms - Date.now()
    await recordAudit(deps.db, { actor: subject, action: 'web.login', detail: { roles, via: 'token' } })
    const cookie = encodeURIComponent(deps.sessions.issue({ name: subject, roles }, Date.now(), ttl_ms))
    return reply.header('set-cookie', `${SESSION_COOKIE}=${cookie}; ${sessionCookieFlags(deps.config, request)}; Max-Age=${Math.max(1, Math.floor(ttl_ms / 1000))}`)
      .send({ name: subject, roles })
  })
}
