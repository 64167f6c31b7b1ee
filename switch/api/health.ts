// GET /health (Mojaloop's shape: status, uptime, services) and GET /metrics (Prometheus).
import type { FastifyInstance } from 'fastify'
import type { Db } from '../../ledger/store/db.ts'
import type { Broker } from '../kafka/broker.ts'
import type { Metrics } from '../observability/metrics.ts'

export interface HealthDeps {
  db: Db
  broker?: Broker
  metrics: Metrics
}

const startTime = new Date()

export async function healthRoutes(app: FastifyInstance, deps: HealthDeps): Promise<void> {
  app.get('/health', async (_request, reply) => {
    const [datastore, broker] = await Promise.all([
      deps.db.raw('select 1').then(() => true, () => false),
      deps.broker ? deps.broker.isHealthy() : Promise.resolve(undefined),
    ])
    const services = [{ name: 'datastore', status: datastore ? 'OK' : 'DOWN' }]
    if (broker !== undefined) services.push({ name: 'broker', status: broker ? 'OK' : 'DOWN' })
    const ok = services.every((s) => s.status === 'OK')
    return reply.code(ok ? 200 : 502).send({
      status: ok ? 'OK' : 'DOWN',
      uptime: Math.round(process.uptime()),
      startTime: startTime.toISOString(),
      versionNumber: process.env.npm_package_version ?? '0.1.0',
      services,
    })
  })
  app.get('/metrics', async (_request, reply) => {
    return reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics())
  })
}
