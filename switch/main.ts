// `npm start` / `agora start`: the whole switch in one process, on the real MariaDB and Kafka.
import { loadConfig } from './config.ts'
import { ensureDatabase, migrateToLatest, openDb } from '../ledger/store/db.ts'
import { openBroker } from './kafka/broker.ts'
import { createLogger } from './observability/logger.ts'
import { createMetrics } from './observability/metrics.ts'
import { startTracing } from './observability/tracing.ts'
import { buildAdminApp, buildApiApp } from './app.ts'
import { createParticipantChanges } from './admin/participant-changes.ts'

const SHUTDOWN_GRACE_MS = 10_000

const config = loadConfig()
const tracing = startTracing(config.tracing)
const log = createLogger(config.logLevel)
await ensureDatabase(config.db)
const db = openDb(config.db)
await migrateToLatest(db)
const broker = openBroker(config.kafka)
const metrics = createMetrics()
const deps = { config, db, broker, log, metrics, participantChanges: createParticipantChanges() }

const api = await buildApiApp(deps)
const admin = await buildAdminApp(deps)
await api.listen({ host: config.http.host, port: config.http.port })
await admin.listen({ host: config.http.host, port: config.http.adminPort })

const base = (port: number) => `http://${config.http.host}:${port}`
console.log(`Agora switch is running (hub "${config.hubName}")
  FSPIOP API   ${base(config.http.port)}      (DFSPs: /parties, /quotes, /transfers …)
  Admin API    ${base(config.http.adminPort)}      (operators: /participants, /settlementModels …)
  Health       ${base(config.http.port)}/health   Metrics ${base(config.http.port)}/metrics
  Database     ${config.db.host}:${config.db.port}/${config.db.database}   Kafka ${config.kafka.brokers.join(',')}
Stop with Ctrl-C (SIGINT) or SIGTERM.`)

let stopping = false
async function shutdown(signal: string): Promise<void> {
  if (stopping) return
  stopping = true
  log.info({ signal }, 'shutting down')
  const force = setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS)
  force.unref()
  await Promise.allSettled([api.close(), admin.close()])
  await broker.close()
  await db.destroy()
  await tracing.shutdown()
  log.flush()
  process.exit(0)
}
process.on('SIGTERM', () => void shutdown('SIGTERM'))
process.on('SIGINT', () => void shutdown('SIGINT'))
