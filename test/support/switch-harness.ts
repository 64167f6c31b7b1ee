// A whole switch for end-to-end tests: real MariaDB (own database), real Kafka (own topics), the
// pipeline and the FSPIOP API listening on an ephemeral port, the admin API for onboarding.
import type { FastifyInstance } from 'fastify'
import { createTestDb, type TestDb } from './db.ts'
import { createTopics, openTestBus } from './kafka.ts'
import { testDeps } from './apps.ts'
import { buildAdminApp, buildApiApp } from '../../switch/app.ts'
import type { SwitchDeps } from '../../switch/runtime/switch-deps.ts'
import type { BulkPayments } from '../../switch/bulk/bulk-payments.ts'
import { startPipeline, type Pipeline, type PipelineOptions } from '../../switch/start-pipeline.ts'
import type { MessageBus } from '../../switch/bus/message-bus.ts'
import type { Config } from '../../switch/config/config.ts'
import { operatorKeys } from './operators.ts'
import { useAdminToken } from './fixtures.ts'
import type { Logger } from '../../switch/observability/logger.ts'

export interface SwitchHarness {
  testDb: TestDb
  bus: MessageBus
  deps: SwitchDeps
  pipeline: Pipeline
  api: FastifyInstance
  admin: FastifyInstance
  apiUrl: string
  stop(): Promise<void>
}

/**
 * `partitions` of every topic (2 unless given); `pipeline` options override the fast test defaults. A
 * production switch without operator settings gets a fresh operator key, and the fixtures' admin calls
 * carry a real token of an operator with the operator and finance roles. `log`: the switch's logger (silent unless given).
 */
export async function startSwitch(label: string, opts: { config?: Partial<Config>; partitions?: number; pipeline?: PipelineOptions; log?: Logger; bulkPayments?: BulkPayments } = {}): Promise<SwitchHarness> {
  const testDb = await createTestDb(label)
  const bus = openTestBus(label, opts.partitions ?? 2)
  await createTopics(bus, bus.config)
  const keys = opts.config?.env === 'production' && !opts.config.operators ? await operatorKeys() : undefined
  const deps = { ...testDeps(testDb.db, { bus, config: { ...opts.config, ...(keys ? { operators: keys.operators } : {}) } }), ...(opts.log ? { log: opts.log } : {}) }
  if (opts.bulkPayments) deps.bulkPayments = opts.bulkPayments
  const pipeline = await startPipeline(deps, { callbackBackoffFirst_ms: 20, timeoutScan_ms: 250, ...opts.pipeline })
  await pipeline.ready // the tests start sending at once: the consumers have joined
  const api = await buildApiApp(deps, pipeline)
  await api.listen({ host: '127.0.0.1', port: 0 })
  const admin = await buildAdminApp(deps)
  if (keys) useAdminToken(admin, await keys.token('test-operator', ['operator', 'finance']))
  return {
    testDb, bus, deps, pipeline, api, admin,
    apiUrl: `${deps.config.env === 'production' ? 'https' : 'http'}://127.0.0.1:${(api.server.address() as { port: number }).port}`,
    async stop() {
      await api.close()
      await admin.close()
      await pipeline.stop()
      await bus.close()
      await testDb.drop()
    },
  }
}
