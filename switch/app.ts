// The switch's two HTTP faces, built without listening so tests can use app.inject():
// - the FSPIOP API that DFSPs call (port AGORA_HTTP_PORT), and
// - the admin API for hub operators (port AGORA_ADMIN_PORT): onboarding, funds, settlement, reports.
// Both answer /health and /metrics.
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify'
import type { SwitchDeps } from './runtime/switch-deps.ts'
import { healthRoutes } from './api/health.ts'
import { recordHttpMetrics } from './api/http-metrics.ts'
import { adminRoutes } from './admin-api.ts'
import { webRoutes } from './web/web-routes.ts'
import { tokenLoginRoute } from './web/token-login.ts'
import { createSessions } from './operators/sessions.ts'
import { ADMIN_DEVELOPMENT_WARNING, authenticateOperators } from './operators/operator-auth.ts'
import { mapErrors, parseFspiopJson } from './fspiop/error-handler.ts'
import { validateFspiopRequests } from './fspiop/request-validation.ts'
import { transferRoutes } from './transfers/transfer-routes.ts'
import { bulkTransferRoutes } from './transfers/bulk-transfer-routes.ts'
import { bulkQuoteRoutes } from './quotes/bulk-quote-routes.ts'
import { createPayerAccounts } from './store/payer-accounts.ts'
import { createConversions } from './fx/dependent-prepare.ts'
import { fxTransferRoutes } from './fx/fx-transfer-routes.ts'
import { lookupRoutes } from './lookup/lookup-routes.ts'
import { quoteRoutes } from './quotes/quote-routes.ts'
import { fxQuoteRoutes } from './fx/fx-quote-routes.ts'
import { fxpServicesRoutes } from './fx/fxp-services-routes.ts'
import { transactionRequestRoutes } from './transaction-requests/transaction-request-routes.ts'
import { disbursementRoutes } from './disbursements/disbursement-routes.ts'
import type { Pipeline } from './start-pipeline.ts'
import { requireSignatures } from './fspiop/jws-hook.ts'
import { translateIsoRequests } from './fspiop/iso20022/iso-edge.ts'
import { authenticateParticipants } from './mtls/authenticate.ts'
import { adminHttpsOptions, fspiopHttpsOptions } from './mtls/tls-files.ts'
import { fastifyTimeoutOptions, nodeServerOptions } from './limits/http-limits.ts'
import { limitParticipantRates } from './limits/rate-limit.ts'


/** Every server has the time bounds of config.limits.http; `bodyLimit_bytes` is its largest body. */
function baseApp(deps: SwitchDeps, pipeline: Pipeline | undefined, bodyLimit_bytes: number, https?: ReturnType<typeof fspiopHttpsOptions | typeof adminHttpsOptions>): FastifyInstance {
  const limits = deps.config.limits.http
  const options = {
    loggerInstance: deps.log as FastifyBaseLogger,
    bodyLimit: bodyLimit_bytes, ...fastifyTimeoutOptions(limits), logController: new LogController({ disableRequestLogging: true }) }
  // An HTTPS server has the same routes and hooks; only the type of its raw server differs.
  const app = (https
    ? Fastify({ ...options, https: { ...https, ...nodeServerOptions(limits) } })
    : Fastify({ ...options, http: nodeServerOptions(limits) })) as unknown as FastifyInstance
  recordHttpMetrics(app, deps.metrics)
  void app.register(healthRoutes, { db: deps.db, bus: deps.bus, metrics: deps.metrics, pipeline, dbReady: deps.dbReady })
  return app
}

/** The FSPIOP API; its routes need the pipeline (producer and participant cache). */
export async function buildApiApp(deps: SwitchDeps, pipeline?: Pipeline): Promise<FastifyInstance> {
  const app = baseApp(deps, pipeline, deps.config.limits.body.fspiop_bytes, fspiopHttpsOptions(deps.config))
  mapErrors(app)
  if (pipeline && deps.config.env === 'production') authenticateParticipants(app, pipeline)
  limitParticipantRates(app, deps.config.limits.rate)
  parseFspiopJson(app)
  validateFspiopRequests(app)
  if (pipeline) {
    const topic = (name: string) => deps.bus!.topic(name)
    if (deps.config.jws.validateInbound) requireSignatures(app, { directory: pipeline.directory, dateWindow_s: deps.config.jws.dateWindow_s })
    translateIsoRequests(app, pipeline)
    const forwarding = { hubName: deps.config.hubName, directory: pipeline.directory, producer: pipeline.producer, topic, expirationHorizon_s: deps.config.limits.expirationHorizon_s }
    const payerAccounts = createPayerAccounts(deps.db)
    await app.register(transferRoutes, { ...forwarding, db: deps.db, payerAccounts, conversions: createConversions(deps.db), fulfilTimestamp: deps.config.fulfilTimestamp })
    await app.register(lookupRoutes, { ...forwarding, oracle: pipeline.oracle, batchBodyLimit_bytes: deps.config.limits.body.fspiopBatch_bytes })
    await app.register(quoteRoutes, forwarding)
    await app.register(fxTransferRoutes, { ...forwarding, db: deps.db, payerAccounts, fulfilTimestamp: deps.config.fulfilTimestamp })
    await app.register(fxQuoteRoutes, forwarding)
    await app.register(fxpServicesRoutes, { ...forwarding, db: deps.db })
    const batchBodyLimit_bytes = deps.config.limits.body.fspiopBatch_bytes
    await app.register(bulkTransferRoutes, { ...forwarding, db: deps.db, batchBodyLimit_bytes })
    await app.register(bulkQuoteRoutes, { ...forwarding, batchBodyLimit_bytes })
    await app.register(transactionRequestRoutes, forwarding)
    // Paid at once by this process's disbursement engine if it runs one, else by the engine's sweep elsewhere.
    const startPaying = (id: string) => {
      pipeline.disbursements?.run(id).catch((error: unknown) => deps.log.warn({ disbursementId: id, err: error }, 'disbursement step failed; the sweep retries it'))
    }
    await app.register(disbursementRoutes, { db: deps.db, directory: pipeline.directory, startPaying })
  }
  await app.ready()
  return app
}

/** Every route but the probes, /metrics and the web log-in needs an operator's credentials and role (switch/operators);
 *  over HTTPS with AGORA_ADMIN_TLS, where a mapped client certificate is a credential too. `pipeline`: this
 *  process's, for readiness. */
export async function buildAdminApp(deps: SwitchDeps, pipeline?: Pipeline): Promise<FastifyInstance> {
  const app = baseApp(deps, pipeline, deps.config.limits.body.admin_bytes, adminHttpsOptions(deps.config))
  mapErrors(app)
  const sessions = createSessions(deps.config.web.sessionSecret)
  const { verifier } = authenticateOperators(app, { config: deps.config, sessions })
  if (deps.config.env === 'development') deps.log.warn(ADMIN_DEVELOPMENT_WARNING)
  await app.register(adminRoutes, deps)
  await app.register(webRoutes, { ...deps, sessions })
  await app.register(tokenLoginRoute, { db: deps.db, config: deps.config, sessions, verifier })
  await app.ready()
  return app
}

/** The probes and /metrics alone, for a process that runs only pipeline handlers. */
export async function buildHealthApp(deps: SwitchDeps, pipeline?: Pipeline): Promise<FastifyInstance> {
  const app = baseApp(deps, pipeline, deps.config.limits.body.admin_bytes)
  await app.ready()
  return app
}
