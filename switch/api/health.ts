// The probes and the metrics:
// - GET /health: Mojaloop's shape (status, uptime, services: datastore, broker), and it is readiness: OK only
//   when a transfer can complete here (readiness.ts); 502 with status DOWN otherwise, as central-ledger answers.
// - GET /ready: the same check, 200 or 503 (Kubernetes' readinessProbe: traffic goes elsewhere meanwhile).
// - GET /live: the process answers (Kubernetes' livenessProbe). It never looks at Kafka or the database: an
//   outage of either is no reason to restart the switch, which recovers on its own.
// - GET /metrics (Prometheus).
import type { FastifyInstance } from 'fastify'
import type { Db } from '../../ledger/store/db.ts'
import type { MessageBus } from '../bus/message-bus.ts'
import type { Metrics } from '../observability/metrics.ts'
import type { PipelineStatus } from '../pipeline/pipeline.ts'
import { checkReadiness } from './readiness.ts'

export interface HealthDeps {
  db: Db
  bus?: MessageBus
  metrics: Metrics
  /** The pipeline of this process, when it runs one: readiness then includes its producer and consumers. */
  pipeline?: { status(): PipelineStatus }
  /** Resolves once the database is migrated (main.ts migrates in the background). */
  dbReady?: Promise<void>
}

/** The paths that answer without credentials on every port (probes and scrapers). */
export const PROBE_PATHS: readonly string[] = ['/health', '/ready', '/live', '/metrics']

const startTime = new Date()

export async function healthRoutes(app: FastifyInstance, deps: HealthDeps): Promise<void> {
  const body = (ok: boolean, services?: { name: string; status: string; detail?: string }[]) => ({
    status: ok ? 'OK' : 'DOWN',
    uptime: Math.round(process.uptime()),
    startTime: startTime.toISOString(),
    versionNumber: process.env.npm_package_version ?? '0.1.0',
    ...(services ? { services } : {}),
  })
  app.get('/health', async (_request, reply) => {
    const { ok, services } = await checkReadiness(deps)
    return reply.code(ok ? 200 : 502).send(body(ok, services))
  })
  app.get('/ready', async (_request, reply) => {
    const { ok, services } = await checkReadiness(deps)
    return reply.code(ok ? 200 : 503).send(body(ok, services))
  })
  app.get('/live', async (_request, reply) => reply.code(200).send(body(true)))
  app.get('/metrics', async (_request, reply) => {
    return reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics())
  })
}
