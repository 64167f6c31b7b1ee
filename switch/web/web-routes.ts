// The web view for the scheme's operators and regulators, served by the admin app under /ui. Its users are
// the same identities with the same four roles as on the admin API, and one table decides who may do what
// (switch/operators/route-access.ts): every role reads (participants, statements, transfers, windows,
// settlements, volumes; the audit log for auditors and regulators). What an operator does from the page
// goes to the admin API's own handlers, registered again under /ui/api/admin behind the session: one
// implementation of each action, with its audit entry, and the same roles refused as on the admin API.
import type { FastifyInstance } from 'fastify'
import type { Sessions } from '../operators/sessions.ts'
import { FspiopError } from '../fspiop/errors.ts'
import { recordAudit } from '../../ledger/store/audit.ts'
import { listWindows } from '../../ledger/store/settlement-windows-admin.ts'
import { reportRoutes } from '../reports/report-routes.ts'
import { SESSION_COOKIE, SESSION_TTL_MS } from '../operators/sessions.ts'
import { WEB_ADMIN_PREFIX } from '../operators/route-access.ts'
import { verifyPassword } from './passwords.ts'
import { allowedActions } from './web-actions.ts'
import { PAGE_HTML } from './page.ts'
import { createLoginThrottle } from './login-throttle.ts'
import { addSecurityHeaders, sessionCookieFlags } from './security-headers.ts'
import { chartAssetRoutes } from './chart-assets.ts'
import { auditRoutes } from '../admin/audit-routes.ts'
import { disbursementAdminRoutes } from '../disbursements/disbursement-admin-routes.ts'
import type { SettlementTable } from '../../ledger/store/ledger-tables.ts'
import type { AdminDeps } from '../admin/admin-deps.ts'
import { participantsRoutes } from '../admin/participants-routes.ts'
import { limitsRoutes } from '../admin/limits-routes.ts'
import { accountsRoutes } from '../admin/accounts-routes.ts'
import { settlementModelsRoutes } from '../admin/settlement-models-routes.ts'
import { settlementRoutes } from '../settlement/settlement-routes.ts'

const loginBody = { type: 'object', required: ['name', 'password'], properties: { name: { type: 'string', maxLength: 64 }, password: { type: 'string', maxLength: 256 } } } as const

export async function webRoutes(app: FastifyInstance, deps: AdminDeps & { sessions: Sessions }): Promise<void> {
  const { db, sessions } = deps
  const throttle = createLoginThrottle()
  addSecurityHeaders(app, PAGE_HTML)

  chartAssetRoutes(app)
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
    api.get('/scheme', async (request) => ({ timeZone: deps.config.schemeTimeZone, hubName: deps.config.hubName, may: allowedActions(request.operator?.roles ?? []) }))
    api.get('/windows', async () => (await listWindows(db, { limit: 50 })).map((w) => ({ id: Number(w.id), state: w.state, reason: w.reason, createdDate: w.created_at, changedDate: w.changed_at })))
    api.get('/settlements', async () => (await db<SettlementTable>('settlement').orderBy('id', 'desc').limit(50)).map((s) => ({ id: Number(s.id), state: s.state, reason: s.reason, createdDate: s.created_at })))
    await api.register(reportRoutes, { prefix: '/reports', db, alerts: deps.config.alerts })
    await api.register(auditRoutes, { prefix: '/audit', db })
    await api.register(disbursementAdminRoutes, { db })
    // The admin API's own handlers for what an operator does from the page (one implementation, one audit).
    await api.register(async (admin) => {
      await participantsRoutes(admin, deps)
      await limitsRoutes(admin, deps)
      await accountsRoutes(admin, deps)
      await settlementModelsRoutes(admin, deps)
      await settlementRoutes(admin, deps)
    }, { prefix: WEB_ADMIN_PREFIX.slice('/ui/api'.length) })

  }, { prefix: '/ui/api' })
}
