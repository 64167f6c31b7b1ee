// The web view for the scheme's operators, served by the admin app under /ui. Its users are the same
// identities with the same four roles as on the admin API, and one table decides who may do what
// (switch/operators/route-access.ts): every role reads (participants, positions against caps, windows,
// settlements and their reports, volumes); finance may also close windows and start settlements. Every action is audited.
import type { FastifyInstance } from 'fastify'
import type { Config } from '../config/config.ts'
import type { Db } from '../../ledger/store/db.ts'
import { FspiopError } from '../fspiop/errors.ts'
import { recordAudit } from '../../ledger/store/audit.ts'
import { listWindows } from '../../ledger/store/settlement-windows-admin.ts'
import type { Ledger } from '../../ledger/ledger-port.ts'
import { createMySqlLedger } from '../../ledger/store/mysql-ledger.ts'
import { reportRoutes } from '../reports/report-routes.ts'
import { SESSION_COOKIE, SESSION_TTL_MS, type Sessions } from '../operators/sessions.ts'
import { verifyPassword } from './passwords.ts'
import { PAGE_HTML } from './page.ts'
import { actorOf } from '../admin/operator.ts'
import { createLoginThrottle } from './login-throttle.ts'
import { addSecurityHeaders, sessionCookieFlags } from './security-headers.ts'
import { auditRoutes } from '../admin/audit-routes.ts'
import { disbursementAdminRoutes } from '../disbursements/disbursement-admin-routes.ts'
import type { SettlementTable } from '../../ledger/store/ledger-tables.ts'


const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1 } } } as const
const settleBody = {
  type: 'object', required: ['windowIds', 'model'],
  properties: { windowIds: { type: 'array', minItems: 1, maxItems: 100, items: { type: 'integer', minimum: 1 } }, model: { type: 'string', minLength: 1, maxLength: 64 } },
} as const
const loginBody = { type: 'object', required: ['name', 'password'], properties: { name: { type: 'string', maxLength: 64 }, password: { type: 'string', maxLength: 256 } } } as const

export async function webRoutes(app: FastifyInstance, deps: { db: Db; config: Config; sessions: Sessions; ledger?: Ledger }): Promise<void> {
  const { db, sessions } = deps
  const ledger = deps.ledger ?? createMySqlLedger(db)
  const throttle = createLoginThrottle()
  addSecurityHeaders(app, PAGE_HTML)

  app.get('/ui', async (_request, reply) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(PAGE_HTML))

  app.post<{ Body: { name: string; password: string } }>('/ui/login', { schema: { body: loginBody } }, async (request, reply) => {
    const { name } = request.body
    // Locked out: refused before the password is checked, whatever it is. From check() to failed() nothing
    // awaits (scrypt runs synchronously), so parallel attempts cannot all pass the check before one counts.
    const verdict = throttle.check(name, request.ip)
    if (!verdict.allowed) {
      const retryAfter_s = Math.ceil(verdict.retryAfter_ms / 1000)
      return reply.code(429).header('retry-after', String(retryAfter_s)).send(new FspiopError('3000', `too many failed logins: try again in ${retryAfter_s} s`).toBody())
    }
    const user = deps.config.web.users.find((u) => u.name === name)
    if (!user || !verifyPassword(request.body.password, user.passwordHash)) {
      const locked_ms = throttle.failed(name, request.ip)
      await recordAudit(db, { actor: name, action: 'web.login.failed', detail: locked_ms > 0 ? { lockedFor_ms: locked_ms } : undefined })
      throw new FspiopError('3000', 'unknown user or wrong password')
    }
    throttle.succeeded(name)
    await recordAudit(db, { actor: user.name, action: 'web.login', detail: { roles: user.roles } })
    const cookie = encodeURIComponent(sessions.issue({ name: user.name, roles: user.roles }))
    return reply.header('set-cookie', `${SESSION_COOKIE}=${cookie}; ${sessionCookieFlags(deps.config, request)}; Max-Age=${SESSION_TTL_MS / 1000}`).send({ name: user.name, roles: user.roles })
  })

  app.post('/ui/logout', async (request, reply) => reply.header('set-cookie', `${SESSION_COOKIE}=; ${sessionCookieFlags(deps.config, request)}; Max-Age=0`).send({}))

  // Who may call each route below is checked before any parsing or validation (switch/operators/operator-auth.ts).
  await app.register(async (api) => {
    api.get('/me', async (request) => ({ name: request.operator?.subject, roles: request.operator?.roles }))
    api.get('/windows', async () => (await listWindows(db, { limit: 50 })).map((w) => ({ id: Number(w.id), state: w.state, reason: w.reason, createdDate: w.created_at, changedDate: w.changed_at })))
    api.get('/settlements', async () => (await db<SettlementTable>('settlement').orderBy('id', 'desc').limit(50)).map((s) => ({ id: Number(s.id), state: s.state, reason: s.reason, createdDate: s.created_at })))
    await api.register(reportRoutes, { prefix: '/reports', db })
    await api.register(auditRoutes, { prefix: '/audit', db })
    await api.register(disbursementAdminRoutes, { db })

    api.post<{ Params: { id: number } }>('/windows/:id/close', { schema: { params: idParams } }, async (request) => {
      const actor = actorOf(request)
      return ledger.transaction(async (tx) => {
        const result = await tx.closeWindow(String(request.params.id), `closed by ${actor} in the web view`)
        if (!result.ok) throw new FspiopError('3100', `window ${request.params.id} is not open`)
        await tx.recordAudit({ actor, action: 'settlementWindow.close', target: String(request.params.id), detail: { via: 'web' } })
        return { nextWindowId: Number(result.nextId) }
      })
    })
    api.post<{ Body: { windowIds: number[]; model: string } }>('/settlements', { schema: { body: settleBody } }, async (request) => {
      const actor = actorOf(request)
      return ledger.transaction(async (tx) => {
        const result = await tx.createSettlement({ model: request.body.model, windowIds: request.body.windowIds.map(String), reason: `started by ${actor} in the web view`, actor })
        if (!result.ok) throw new FspiopError('3100', result.message)
        await tx.recordAudit({ actor, action: 'settlement.create', target: result.value, detail: { via: 'web', ...request.body } })
        return { settlementId: Number(result.value) }
      })
    })
  }, { prefix: '/ui/api' })
}
