// Records every answered request in the Prometheus registry, by route pattern (not raw URL).
import type { FastifyInstance } from 'fastify'
import type { Metrics } from '../observability/metrics.ts'

export function recordHttpMetrics(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unknown'
    metrics.httpRequests.inc({ route, method: request.method, status: String(reply.statusCode) })
    metrics.httpDuration.observe({ route, method: request.method }, reply.elapsedTime / 1000)
  })
}
