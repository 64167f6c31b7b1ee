// The admin API: Mojaloop central-ledger compatible onboarding, limits, endpoints, accounts and funds.
import type { FastifyInstance } from 'fastify'
import { participantsRoutes } from './admin/participants-routes.ts'
import { limitsRoutes } from './admin/limits-routes.ts'
import { accountsRoutes } from './admin/accounts-routes.ts'
import { settlementModelsRoutes } from './admin/settlement-models-routes.ts'
import { settlementRoutes } from './settlement/settlement-routes.ts'
import { reportRoutes } from './reports/report-routes.ts'
import { jwsKeyRoutes } from './admin/jws-key-routes.ts'
import { apiModeRoutes } from './admin/api-mode-routes.ts'
import { certificateRoutes } from './mtls/certificate-routes.ts'
import { oracleAdminRoutes } from './lookup/oracle-admin-routes.ts'
import { auditRoutes } from './admin/audit-routes.ts'
import { disbursementAdminRoutes } from './disbursements/disbursement-admin-routes.ts'
import type { AdminDeps } from './admin/admin-deps.ts'

export async function adminRoutes(app: FastifyInstance, deps: AdminDeps): Promise<void> {
  await participantsRoutes(app, deps)
  await limitsRoutes(app, deps)
  await accountsRoutes(app, deps)
  await settlementModelsRoutes(app, deps)
  await settlementRoutes(app, deps)
  await jwsKeyRoutes(app, deps)
  await apiModeRoutes(app, deps)
  await certificateRoutes(app, deps)
  await app.register(oracleAdminRoutes, deps)
  await app.register(reportRoutes, { prefix: '/reports', db: deps.db, alerts: deps.config.alerts })
  await app.register(auditRoutes, { prefix: '/audit', db: deps.db })
  await app.register(disbursementAdminRoutes, { db: deps.db })
}
