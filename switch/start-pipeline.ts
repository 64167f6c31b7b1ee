// Starts what the configured roles need of the pipeline: the shared producer and participant cache,
// the consumers (position, quote, notification), the callback retrier, the timeout scanner and the
// outbox relay. Nothing here waits for the bus: the producer connects and the consumers join in the
// background (after the topics exist and the database is migrated), so the HTTP ports open at once;
// missing topics are logged with the command that creates them (topic-specs.ts), and checked again;
// `ready` resolves when all of it runs, and status() is what readiness reports.
import { readFileSync } from 'node:fs'
import type { SwitchDeps } from './runtime/switch-deps.ts'
import { signJws } from './fspiop/jws.ts'
import { readTlsMaterial } from './mtls/tls-files.ts'
import type { Role } from './config/config.ts'
import type { BusProducer, ProducerStatus } from './bus/message-bus.ts'
import { PUBLISH_TIMEOUT_MS } from './bus/publish-queue.ts'
import { requireTopics } from './bus/topic-specs.ts'
import { createDirectory, type ParticipantDirectory } from './fspiop/directory.ts'
import { ATTEMPT_TIMEOUT_MS, BACKOFF_FIRST_MS, createCallbackSender, type CallbackSender } from './pipeline/callbacks.ts'
import { startBatchConsumer, type ConsumerStatus, type RunningConsumer } from './pipeline/batch-consumer.ts'
import { positionHandler } from './transfers/position-handler.ts'
import { notificationHandler } from './pipeline/notification-handler.ts'
import { startCallbackRetrier } from './pipeline/callback-retrier.ts'
import { createCircuitBreakers } from './pipeline/circuit-breaker.ts'
import { createRecipientBudget } from './pipeline/recipient-budget.ts'
import { createAnswerTimes } from './pipeline/answer-times.ts'
import { startTimeoutScanner, type TimeoutScanner } from './transfers/timeout-scanner.ts'
import { startOutboxRelay } from './pipeline/outbox-relay.ts'
import { createMySqlPipelineStore } from './store/mysql-pipeline-store.ts'
import { crashPoints } from './pipeline/crash-points.ts'
import { ALL_TOPICS, TOPICS } from './pipeline/messages.ts'
import { quoteHandler } from './quotes/quote-handler.ts'
import { applyFxQuotes } from './fx/fx-quote-handler.ts'
import { createMysqlOracle, type Oracle } from './lookup/oracle.ts'
import { createRoutingOracle } from './lookup/http-oracle.ts'
import { createDisbursementEngine, type DisbursementEngine } from './disbursements/disbursement-engine.ts'

import type { PipelineStatus } from './pipeline/pipeline-status.ts'
import type { BulkPayments } from './bulk/bulk-payments.ts'
import { createBulkPayments } from './bulk/create-bulk-payments.ts'
import { registerScrapeGauges } from './observability/scrape-gauges.ts'
import { transferStateRecorder } from './observability/transfer-state-log.ts'
import { scrapeSources, type ConsumedTopics } from './pipeline/scrape-sources.ts'

export type { PipelineStatus }

export interface Pipeline {
  directory: ParticipantDirectory
  oracle: Oracle
  producer: BusProducer
  sender: CallbackSender
  timeouts: TimeoutScanner | undefined
  /** The G2P disbursement engine, in a process with the timeout role once started. */
  disbursements: DisbursementEngine | undefined
  /** How the switch pays in bulk on a payer's behalf (G2P disbursements): through this pipeline. */
  bulkPayments: BulkPayments
  /** Resolves once the producer is connected and every consumer has joined its group. */
  readonly ready: Promise<void>
  status(): PipelineStatus
  stop(): Promise<void>
}


export interface PipelineOptions {
  roles?: ReadonlySet<Role>
  /** Shorter callback backoff and timeout scans, for tests. */
  callbackBackoffFirst_ms?: number
  /** Shorter callback attempt timeout and circuit cool-down of a failing DFSP, for tests. */
  callbackAttemptTimeout_ms?: number
  breakerCoolDown_ms?: number
  timeoutScan_ms?: number
  /** Resolves once the database is migrated: the consumers and scanners start after it. */
  dbReady?: Promise<void>
}

export async function startPipeline(deps: SwitchDeps, opts: PipelineOptions = {}): Promise<Pipeline> {
  const bus = deps.bus
  if (!bus) throw new Error('pipeline: no message bus configured')
  const roles = opts.roles ?? deps.config.roles
  const producer = bus.producer({ beforeConnect: () => requireTopics(bus, ALL_TOPICS) })
  const directory = createDirectory(deps.db, deps.participantChanges, { entriesMax: deps.config.limits.directoryEntriesMax })
  const hubKey = deps.config.jws.sign && deps.config.jws.hubPrivateKeyFile ? readFileSync(deps.config.jws.hubPrivateKeyFile, 'utf8') : undefined
  const sender = createCallbackSender({
    directory, backoffFirst_ms: opts.callbackBackoffFirst_ms, attemptTimeout_ms: opts.callbackAttemptTimeout_ms,
    sign: hubKey ? (_callback, headers, body) => signJws(headers, body, hubKey) : undefined,
    tls: readTlsMaterial(deps.config),
  })
  const topic = (name: string) => bus.topic(name)
  const group = (name: string) => `${bus.topicPrefix}${name}`
  const crash = crashPoints(deps.config.crash)
  const store = createMySqlPipelineStore(deps.db)
  const base = { bus, db: deps.db, store, producer, log: deps.log, crash, metrics: deps.metrics }
  const oracle = createRoutingOracle(deps.db, deps.participantChanges, createMysqlOracle(deps.db))
  // The switch paying in bulk on a payer's behalf; a test may give another (the in-memory one).
  const bulkPayments = deps.bulkPayments ?? createBulkPayments({ db: deps.db, producer, directory, topic })
  const stateChanged = transferStateRecorder(deps.log, deps.metrics)
  const consumed: ConsumedTopics[] = []
  registerScrapeGauges(deps.metrics, scrapeSources(bus, deps.db, () => consumed), deps.log)
  const consumers: RunningConsumer[] = []
  const stoppers: (() => Promise<void>)[] = []
  const consumersExpected = (roles.has('position') || roles.has('prepare') ? 1 : 0) + (roles.has('quote') ? 1 : 0) + (roles.has('notification') ? 1 : 0)
  let timeouts: TimeoutScanner | undefined
  let disbursementEngine: DisbursementEngine | undefined
  let stopped = false

  function startConsumersAndScanners(): void {
    if (roles.has('position') || roles.has('prepare')) {
      consumed.push({ group: group('position'), topics: [topic(TOPICS.prepare), topic(TOPICS.position)] })
      consumers.push(startBatchConsumer({ ...base, groupId: group('position'), topics: [topic(TOPICS.prepare), topic(TOPICS.position)], handler: positionHandler({ hubName: deps.config.hubName, topic, stateChanged }) }))
    }
    if (roles.has('quote')) {
      consumed.push({ group: group('quote'), topics: [topic(TOPICS.quote)] })
      consumers.push(startBatchConsumer({ ...base, groupId: group('quote'), topics: [topic(TOPICS.quote)], handler: quoteHandler({ hubName: deps.config.hubName, topic, fxQuotes: applyFxQuotes }) }))
    }
    if (roles.has('notification')) {
      // One breaker and one budget per DFSP, shared by the first tries and the retries of this process.
      const breakers = createCircuitBreakers({ coolDown_ms: opts.breakerCoolDown_ms })
      const budget = createRecipientBudget()
      const answerTimes = createAnswerTimes()
      const backoffFirst_ms = opts.callbackBackoffFirst_ms ?? BACKOFF_FIRST_MS
      const attemptTimeout_ms = opts.callbackAttemptTimeout_ms ?? ATTEMPT_TIMEOUT_MS
      const delivery = { retries: store.callbackRetries, sender, breakers, budget, answerTimes, log: deps.log, backoffFirst_ms }
      consumed.push({ group: group('notification'), topics: [topic(TOPICS.notification)] })
      consumers.push(startBatchConsumer({ ...base, groupId: group('notification'), topics: [topic(TOPICS.notification)], handler: notificationHandler({ ...delivery, attemptTimeout_ms }) }))
      const retrier = startCallbackRetrier({ ...delivery, retried: (outcome) => deps.metrics.callbackRetries.inc({ outcome }) })
      stoppers.push(() => retrier.stop())
      const relay = startOutboxRelay({ store, producer, log: deps.log, crash })
      stoppers.push(() => relay.stop())
    }
    if (roles.has('timeout')) {
      const scanner = startTimeoutScanner({ store, producer, topic, log: deps.log, interval_ms: opts.timeoutScan_ms })
      timeouts = scanner
      stoppers.push(() => scanner.stop())
    }
    // G2P disbursements are a background sweep like the timeout scan, so they run with that role.
    if (roles.has('timeout')) {
      const disbursements = createDisbursementEngine({ db: deps.db, oracle, bulk: bulkPayments, log: deps.log })
      disbursementEngine = disbursements
      disbursements.start()
      stoppers.push(() => disbursements.stop())
    }
  }

  const ready = Promise.all([producer.connected, opts.dbReady]).then(async () => {
    if (stopped) return
    startConsumersAndScanners()
    await Promise.all(consumers.map((c) => c.joined))
  })

  return {
    directory, producer, sender, bulkPayments, oracle,
    get timeouts() { return timeouts },
    get disbursements() { return disbursementEngine },
    ready,
    status() {
      const p = producer.status()
      return {
        producer: { ...p, stalled: p.inFlightSince !== undefined && Date.now() - p.inFlightSince > PUBLISH_TIMEOUT_MS },
        consumers: consumers.map((c) => c.status()),
        consumersExpected,
      }
    },
    async stop() {
      stopped = true
      for (const stop of stoppers) await stop()
      await Promise.all(consumers.map((c) => c.stop()))
      await producer.close()
      await sender.close()
      directory.close()
    },
  }
}
