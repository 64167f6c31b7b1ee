// `npm start` / `agora start`: the whole switch in one process, on the real MariaDB and Kafka.
import { loadConfig, requireAdminTlsSettings, requireTlsSettings } from './config/config.ts'
import { developmentWarning } from './operators/development-mode.ts'
import { readAdminClients } from './operators/admin-clients.ts'
import { ensureDatabase, openDb } from '../ledger/store/db.ts'
import { createMySqlLedger } from '../ledger/store/mysql-ledger.ts'
import { migrateSwitchDatabase, pendingSwitchMigrations } from './store/migrate.ts'
import { openKafkajsBus } from './bus/kafkajs-bus.ts'
import { createLogger } from './observability/logger.ts'
import { createMetrics } from './observability/metrics.ts'
import { tracingShutdown } from './observability/tracing-preload.ts'
import type { FastifyInstance } from 'fastify'
import { buildAdminApp, buildApiApp, buildHealthApp } from './app.ts'
import { createParticipantChanges } from './fspiop/participant-changes.ts'
import { startPipeline } from './start-pipeline.ts'
import { startWindowSchedule } from './settlement/window-schedule.ts'
import { unavailability } from './fspiop/unavailable.ts'

const SHUTDOWN_GRACE_MS = 10_000
/** While the database cannot be reached at start, migration is tried again after this long. */
const DB_START_RETRY_MS = 1_000

let stopping = false
const config = loadConfig()
try {
  requireTlsSettings(config)
  requireAdminTlsSettings(config)
  if (config.roles.has('admin')) readAdminClients(config.adminTls.clientsFile) // a bad file stops the start here, with its reason
} catch (error) {
  console.error(`agora: ${(error as Error).message}`)
  process.exit(1)
}
const log = createLogger(config.logLevel)
if (config.env === 'development') {
  console.error(developmentWarning(config))
  log.warn({ env: config.env }, 'development mode: participant authentication is off (no mutual TLS on the FSPIOP API; any caller can set any FSPIOP-Source)')
}
// Nothing before the ports waits for the database or Kafka: migrations, the producer's connection and the
// consumers' joins go on in the background, and /ready says when transfers can complete.
const db = openDb(config.db)
const dbReady = config.migrateAtStart ? migrateWhenReachable() : migratedElsewhere()
const bus = openKafkajsBus(config.kafka, log)
const metrics = createMetrics()
const deps = { config, db, bus, log, metrics, participantChanges: createParticipantChanges(), dbReady, ledger: createMySqlLedger(db) }

// Each HTTP face runs where its role is; a process with neither (a pipeline handler alone, as in
// Kubernetes) still answers the probes and /metrics on the API port.
const pipelineRoles = ['api', 'prepare', 'position', 'notification', 'timeout', 'quote'] as const
const pipeline = pipelineRoles.some((r) => config.roles.has(r)) ? await startPipeline(deps, { dbReady }) : undefined
let windowSchedule: ReturnType<typeof startWindowSchedule> | undefined
if (config.roles.has('admin') && config.windowCloseInterval_s > 0) {
  void dbReady.then(() => {
    if (!stopping) windowSchedule = startWindowSchedule({ ledger: deps.ledger, log, interval_ms: config.windowCloseInterval_s * 1000 })
  })
}
const servers: FastifyInstance[] = []
const base = (port: number, scheme = 'http') => `${scheme}://${config.http.host}:${port}`
const lines: string[] = []
if (config.roles.has('api')) {
  servers.push(await listen(await buildApiApp(deps, pipeline), config.http.port))
  if (config.env === 'production') {
    lines.push(`  FSPIOP API   ${base(config.http.port, 'https')}   (DFSPs, mutual TLS: /parties, /quotes, /transfers …)`)
    // The FSPIOP port wants a client certificate from every caller; probes and scrapers come here.
    servers.push(await listen(await buildHealthApp(deps, pipeline), config.healthPort))
    lines.push(`  Health       ${base(config.healthPort)}/health   Metrics ${base(config.healthPort)}/metrics`)
  } else {
    lines.push(`  FSPIOP API   ${base(config.http.port)}   (DFSPs: /parties, /quotes, /transfers …; /health, /metrics)`)
  }
}
if (config.roles.has('admin')) {
  servers.push(await listen(await buildAdminApp(deps, pipeline), config.http.adminPort))
  lines.push(`  Admin API    ${base(config.http.adminPort, config.adminTls.enabled ? 'https' : 'http')}   (operators: /participants, /settlementModels …; /health, /metrics)`)
}
if (servers.length === 0) {
  servers.push(await listen(await buildHealthApp(deps, pipeline), config.http.port))
  lines.push(`  Health       ${base(config.http.port)}/health   Metrics ${base(config.http.port)}/metrics`)
}
console.log(`Agora switch is running (hub "${config.hubName}", roles: ${[...config.roles].join(', ')})
${lines.join('\n')}
  Database     ${config.db.host}:${config.db.port}/${config.db.database}   Kafka ${config.kafka.brokers.join(',')}
  Probes       /live (the process), /ready and /health (transfers can complete)
Stop with Ctrl-C (SIGINT) or SIGTERM.`)
log.info({ since_start_ms: Math.round(performance.now()) }, 'HTTP ports open')
void pipeline?.ready.then(() => {
  log.info({ since_start_ms: Math.round(performance.now()) }, 'pipeline ready: producer connected, consumer groups joined')
})

/** Creates and migrates the database once it answers; a database that is there but refuses the schema stops the switch. */
async function migrateWhenReachable(): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await ensureDatabase(config.db)
      await migrateSwitchDatabase(db)
      return
    } catch (error) {
      if (!unavailability(error)) {
        log.fatal({ err: error }, 'database migration failed')
        console.error(`agora: database migration failed: ${(error as Error).message}`)
        process.exit(1)
      }
      if (attempt === 1 || attempt % 30 === 0) log.warn({ err: error, attempt }, 'database not reachable yet; trying again')
      await new Promise((resolve) => setTimeout(resolve, DB_START_RETRY_MS))
    }
  }
}

/** AGORA_MIGRATE_AT_START=false (the Helm chart, whose hook Job migrates): waits until the database answers
 *  with no pending migration, and never changes the schema itself. */
async function migratedElsewhere(): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      const pending = await pendingSwitchMigrations(db)
      if (pending.length === 0) return
      if (attempt === 1 || attempt % 30 === 0) log.warn({ pending: pending.length, first: pending[0], attempt }, 'database not migrated yet (AGORA_MIGRATE_AT_START=false: `npm run migrate` or the chart\'s hook Job migrates); waiting')
    } catch (error) {
      if (attempt === 1 || attempt % 30 === 0) log.warn({ err: error, attempt }, 'database not reachable yet; trying again')
    }
    await new Promise((resolve) => setTimeout(resolve, DB_START_RETRY_MS))
  }
}

async function listen(app: FastifyInstance, port: number): Promise<FastifyInstance> {
  await app.listen({ host: config.http.host, port })
  return app
}

async function shutdown(signal: string): Promise<void> {
  if (stopping) return
  stopping = true
  log.info({ signal }, 'shutting down')
  const force = setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS)
  force.unref()
  await Promise.allSettled(servers.map((server) => server.close()))
  windowSchedule?.stop()
  await pipeline?.stop()
  await bus.close()
  await db.destroy()
  await tracingShutdown()
  log.flush()
  process.exit(0)
}
process.on('SIGTERM', () => void shutdown('SIGTERM'))
process.on('SIGINT', () => void shutdown('SIGINT'))
