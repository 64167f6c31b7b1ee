// The crash and fault suite (`npm run test:faults`; FAULTS_SIZE=large or `-- --large` for the long run):
// the switch as its own process under a steady load of transfers between DFSPs, SIGKILLed at random
// moments and at exact points of the pipeline (inside a batch's DB transaction, between the DB commit
// and the publish, between the publish and the offset commit, in the outbox relay), and its own private
// Kafka and MariaDB SIGKILLed and restarted under it. Afterwards, checked against the client's own log:
// every prepare answered 202 reached exactly one final state, the invariants I1-I8 hold, and every party
// was told or its callback dead-lettered.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { CRASH_POINTS, faultSuiteSize, loadConfig, type CrashPointName } from '../../switch/config/config.ts'
import { openDb } from '../../ledger/store/db.ts'
import { openKafkajsBus } from '../../switch/bus/kafkajs-bus.ts'
import { createSwitchTopics } from '../support/kafka.ts'
import { checkInvariants } from '../../ledger/invariants/ledger-invariants.ts'
import { partiesTold, pipelineInvariants } from '../../switch/invariants/pipeline-invariants.ts'
import { onboardDfsp, setupHub } from '../support/fixtures.ts'
import { privateDeps } from './private-deps.ts'
import { superviseSwitch, type SwitchSupervisor } from './switch-supervisor.ts'
import { startLoadClient, type LoadClient } from './load-client.ts'
import { checkClientLog, waitForFinalStates } from './client-log-checks.ts'
import { adminOverHttp } from './admin-over-http.ts'

const SIZES = {
  small: { rounds: 1, rate_per_s: 25, steady_ms: 3_000, randomKills: 2, expiresIn_ms: 15_000 },
  large: { rounds: 4, rate_per_s: 80, steady_ms: 10_000, randomKills: 4, expiresIn_ms: 30_000 },
}
const size = faultSuiteSize()
const plan = SIZES[size]
const ARMED_EXIT_MS_MAX = 45_000
/** The broker's least: a killed switch's partitions move to its successor this soon. */
const KAFKA_SESSION_TIMEOUT_MS = 6_000
/** After the load stops: the last expiries, the timeout scan, callback retries. */
const SETTLE_MS = 30_000
const DFSPS = ['fltalpha', 'fltbravo', 'fltcharlie']

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms))
const between = (low: number, high: number) => low + Math.floor(Math.random() * (high - low + 1))

test(`the switch keeps every accepted transfer through crashes of itself, Kafka and MariaDB (${size})`, { timeout: 30 * 60_000 }, async (t) => {
  const started = Date.now()
  const deps = privateDeps()
  const kills = { switchRandom: 0, kafka: 0, mariadb: 0 } as Record<string, number>
  const crashes: Record<CrashPointName, number> = Object.fromEntries(CRASH_POINTS.map((p) => [p, 0])) as Record<CrashPointName, number>
  const logDir = mkdtempSync(path.join(tmpdir(), 'agora-faults-log-'))
  let passed = false
  const database = `agora_faults_${randomBytes(4).toString('hex')}`
  let sw: SwitchSupervisor | undefined
  let client: LoadClient | undefined
  try {
    await Promise.all([deps.startMariadb(), deps.startKafka()])
    const env = { AGORA_DB_PORT: String(deps.dbPort), AGORA_DB_NAME: database, AGORA_KAFKA_BROKERS: deps.kafkaBrokers, AGORA_KAFKA_TOPIC_PREFIX: `${database}.`, AGORA_KAFKA_PARTITIONS: '2', AGORA_KAFKA_SESSION_TIMEOUT_MS: String(KAFKA_SESSION_TIMEOUT_MS) }
    await createSwitchTopics(env)
    sw = superviseSwitch({ logFile: path.join(logDir, 'switch.log'), env })
    await sw.healthy()
    const admin = adminOverHttp(sw.adminUrl)
    client = await startLoadClient({ apiUrl: sw.apiUrl, names: DFSPS, expiresIn_ms: plan.expiresIn_ms })
    await setupHub(admin, 'USD')
    for (const d of client.dfsps) await onboardDfsp(admin, { name: d.name, ndc: '10000000', fundsIn: '10000000', endpointBase: d.url })

    client.start(plan.rate_per_s)
    const s = sw
    const switchKilled = async (...armNext: CrashPointName[]) => {
      await pause(between(500, 3_000))
      s.arm(...armNext.map((point) => ({ point, countdown: point === 'after-relay-publish' ? 1 : between(2, 15) })))
      s.kill()
      kills.switchRandom!++
      await s.nextExit(10_000)
      for (const point of armNext) {
        const exit = await s.nextExit(ARMED_EXIT_MS_MAX).catch((error: Error) => {
          throw new Error(`the switch armed at ${point} never reached it (is its pipeline stuck? see ${logDir}/switch.log): ${error.message}`)
        })
        if (exit.signal === 'SIGKILL') crashes[point]++
      }
      await s.healthy()
      await pause(plan.steady_ms)
    }
    for (let round = 0; round < plan.rounds; round++) {
      await pause(plan.steady_ms)
      // Killed at a random moment, then at each crash point in turn (a crash between commit and publish
      // leaves outbox rows for the relay, which the next start crashes in), then at random again.
      await switchKilled('after-db-commit', 'after-relay-publish', 'after-publish', 'in-db-transaction')
      for (let i = 1; i < plan.randomKills; i++) await switchKilled()
      deps.killKafka()
      kills.kafka!++
      await pause(between(1_000, 3_000))
      await deps.startKafka()
      await s.healthy()
      await pause(plan.steady_ms)
      deps.killMariadb()
      kills.mariadb!++
      await pause(between(1_000, 3_000))
      await deps.startMariadb()
      await s.healthy()
      await pause(plan.steady_ms)
    }
    await client.stop()
    await s.healthy()

    const db = openDb({ ...loadConfig().db, port: deps.dbPort, database, poolMax: 4 })
    const bus = openKafkajsBus({ ...loadConfig().kafka, brokers: [deps.kafkaBrokers], clientId: 'agora-faults-check', topicPrefix: `${database}.`, partitions: 2 })
    try {
      await waitForFinalStates(db, client, Date.now() + plan.expiresIn_ms + SETTLE_MS)
      await pause(5_000) // callbacks of the last final states, and their retries
      const outcome = await checkClientLog(db, client)
      const heard = (dfsp: string, id: string) => client!.heard(dfsp, id).some((c) => c.method !== 'POST')
      const invariants = await checkInvariants(db, { ...pipelineInvariants({ bus, expirySlack_ms: 5_000 }), partiesTold: partiesTold(heard) })
      const deadLetters = Number((await db('callback_dead_letter').count({ n: '*' }).first())!.n)
      const restarts = sw.events.filter((e) => e.what === 'started').length - 1
      t.diagnostic(JSON.stringify({
        size, duration_s: Math.round((Date.now() - started) / 1000), sent: client.sent.length, accepted: outcome.accepted, refused: outcome.refused,
        finalStates: outcome.finalStates, kills, crashPointsReached: crashes, switchRestarts: restarts, deadLetters,
      }))
      assert.deepEqual(outcome.violations.slice(0, 20), [], `${outcome.violations.length} client-log violations (logs in ${logDir})`)
      assert.deepEqual(invariants.slice(0, 20), [], `${invariants.length} invariant violations (logs in ${logDir})`)
      assert.ok(outcome.accepted > 0, 'transfers were accepted')
      for (const point of CRASH_POINTS) assert.ok(crashes[point] > 0, `the switch crashed itself at ${point} at least once`)
      passed = true
    } finally {
      await bus.close()
      await db.destroy()
    }
  } finally {
    await client?.stop().catch(() => {})
    await sw?.stop()
    await client?.close()
    await deps.remove()
    if (passed) rmSync(logDir, { recursive: true, force: true }) // kept when a check failed, for its switch log; removed once the switch has stopped writing it
  }
})
