// Honest answers during an outage: with Kafka or the database out of reach the switch process stays alive
// (/live 200), says it cannot complete transfers (/ready 503, /health DOWN), and answers a prepare with
// 2003 Service currently unavailable within its publish bound instead of hanging. A prepare refused while
// Kafka hung never takes effect once Kafka is back. The shared broker is never touched: the hung Kafka is
// a private one (test/support/private-kafka.ts), the absent ones are ports where nothing listens.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:net'
import { createTestDb, type TestDb } from '../support/db.ts'
import { createSwitchTopics } from '../support/kafka.ts'
import { testAdminApp } from '../support/apps.ts'
import { onboardDfsp, setupHub } from '../support/fixtures.ts'
import { startTestDfsp, type TestDfsp } from '../support/dfsp-server.ts'
import { fulfil, newTransfer, prepare, type SentTransfer } from '../support/fspiop-client.ts'
import { logLines, randomPort, spawnSwitch, waitForAnswer, type SpawnedSwitch } from '../support/switch-process.ts'
import { startPrivateKafka } from '../support/private-kafka.ts'
import { PUBLISH_TIMEOUT_MS } from '../../switch/bus/publish-queue.ts'
import { DB_ACQUIRE_TIMEOUT_MS } from '../../switch/config/config.ts'

/** The designed worst case of a refusal: a database wait, then the publish bound; plus a second for a loaded machine. */
const REFUSAL_BOUND_MS = DB_ACQUIRE_TIMEOUT_MS + PUBLISH_TIMEOUT_MS + 1_000
const DROPPED = 'a request\'s message reached Kafka after the request was answered 2003: dropped'

let testDb: TestDb
let payer: TestDfsp
let payee: TestDfsp
const transfers = new Map<string, SentTransfer>()
let fulfilAt = ''

before(async () => {
  testDb = await createTestDb('outages')
  const admin = await testAdminApp(testDb.db)
  payer = await startTestDfsp('outagepayer')
  payee = await startTestDfsp('outagepayee')
  await setupHub(admin, 'USD')
  for (const dfsp of [payer, payee]) await onboardDfsp(admin, { name: dfsp.name, ndc: '100000', fundsIn: '100000', endpointBase: dfsp.url })
  await admin.close()
  payee.onCallback((c) => {
    const t = c.method === 'POST' && c.path === '/transfers' ? transfers.get(c.body.transferId) : undefined
    if (t) void fulfil(fulfilAt, t)
  })
})
after(async () => {
  await payer.close()
  await payee.close()
  await testDb.drop()
})

/** `topics`: created first (on the Kafka the switch is given), unless that Kafka cannot be reached. */
async function start(env: Record<string, string>, opts: { topics: boolean }): Promise<SpawnedSwitch> {
  const full = { AGORA_DB_NAME: testDb.settings.database, AGORA_KAFKA_TOPIC_PREFIX: `t${randomBytes(4).toString('hex')}.outage.`, AGORA_KAFKA_PARTITIONS: '1', ...env }
  if (opts.topics) await createSwitchTopics(full)
  const sw = spawnSwitch(randomPort(), full)
  fulfilAt = sw.apiUrl
  return sw
}

async function timedPrepare(sw: SpawnedSwitch): Promise<{ t: SentTransfer; status: number; code: string | undefined; elapsed_ms: number }> {
  const t = newTransfer(payer.name, payee.name, '1')
  transfers.set(t.transferId, t)
  const started = performance.now()
  const answer = await prepare(sw.apiUrl, t)
  return { t, status: answer.status, code: answer.body?.errorInformation?.errorCode, elapsed_ms: performance.now() - started }
}

/** One service in /ready's answer. */
interface ServiceHealth { name: string; status: string; detail?: string }
const probe = async (url: string) => fetch(url).then(async (r) => ({ status: r.status, body: await r.json() }))
const committed = (t: SentTransfer) => payer.waitFor((c) => c.method === 'PUT' && c.path === `/transfers/${t.transferId}` && c.body.transferState === 'COMMITTED', 30_000)

async function deadPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

test('with Kafka where nothing listens, the switch is alive but not ready, and a prepare gets 2003 within the publish bound', async () => {
  const sw = await start({ AGORA_KAFKA_BROKERS: `127.0.0.1:${await deadPort()}` }, { topics: false })
  try {
    await waitForAnswer(`${sw.apiUrl}/live`, { status: 200, timeout_ms: 60_000 })
    await waitForAnswer(`${sw.apiUrl}/ready`, { status: 503, timeout_ms: 10_000 }) // the database migrated, Kafka still absent
    const refused = await timedPrepare(sw)
    console.log(`Kafka absent: prepare answered ${refused.status} ${refused.code} after ${Math.round(refused.elapsed_ms)} ms`)
    assert.equal(refused.status, 503)
    assert.equal(refused.code, '2003')
    assert.ok(refused.elapsed_ms < REFUSAL_BOUND_MS, `answered within ${REFUSAL_BOUND_MS} ms (took ${Math.round(refused.elapsed_ms)})`)
    const ready = await probe(`${sw.apiUrl}/ready`)
    assert.equal(ready.status, 503)
    assert.deepEqual(ready.body.services.map((s: ServiceHealth) => [s.name, s.status]), [['datastore', 'OK'], ['broker', 'DOWN']])
    assert.equal((await probe(`${sw.apiUrl}/health`)).body.status, 'DOWN', '/health (Mojaloop\'s shape) says DOWN too')
    assert.equal((await probe(`${sw.apiUrl}/live`)).status, 200)
  } finally {
    sw.kill('SIGKILL')
  }
})

test('a prepare refused (2003) while Kafka hangs never takes effect after Kafka is back, and the next one completes', async () => {
  const kafka = await startPrivateKafka()
  const sw = await start({ AGORA_KAFKA_BROKERS: kafka.brokers }, { topics: true })
  try {
    await waitForAnswer(`${sw.apiUrl}/ready`, { status: 200, timeout_ms: 90_000 })
    const before = await timedPrepare(sw)
    assert.equal(before.status, 202)
    await committed(before.t)

    kafka.freeze()
    const refused = await timedPrepare(sw)
    const refusedAtOnce = await timedPrepare(sw) // Kafka has held the first longer than the bound: no second wait
    const ready = await probe(`${sw.apiUrl}/ready`)
    const live = await probe(`${sw.apiUrl}/live`)
    kafka.resume()
    console.log(`Kafka hung: prepare answered ${refused.status} ${refused.code} after ${Math.round(refused.elapsed_ms)} ms, the next one after ${Math.round(refusedAtOnce.elapsed_ms)} ms; /ready ${ready.status} (${ready.body.services.find((s: ServiceHealth) => s.status === 'DOWN')?.detail}), /live ${live.status}`)
    assert.equal(refused.status, 503)
    assert.equal(refused.code, '2003')
    assert.ok(refused.elapsed_ms < REFUSAL_BOUND_MS, `answered within ${REFUSAL_BOUND_MS} ms (took ${Math.round(refused.elapsed_ms)})`)
    assert.deepEqual([refusedAtOnce.status, refusedAtOnce.code], [503, '2003'])
    assert.ok(refusedAtOnce.elapsed_ms < refused.elapsed_ms, 'a request behind a batch Kafka holds past the bound is refused without waiting for its own')
    assert.equal(ready.status, 503, 'not ready while Kafka hangs')
    assert.equal(live.status, 200, 'alive while Kafka hangs: nothing to restart')

    await waitForAnswer(`${sw.apiUrl}/ready`, { status: 200, timeout_ms: 60_000 })
    const next = await timedPrepare(sw) // same payer, same partition: consumed after the refused one
    assert.equal(next.status, 202)
    await committed(next.t)
    const refusedIds = [refused.t.transferId, refusedAtOnce.t.transferId]
    assert.deepEqual(await testDb.db('transfer').whereIn('id', refusedIds).pluck('id'), [], 'the refused prepares are not in the ledger')
    assert.ok(!payee.received.some((c) => refusedIds.includes(c.body?.transferId)), 'nor were they forwarded to the payee')
    sw.kill('SIGTERM')
    await sw.exited
    const dropped = logLines(sw.output(), DROPPED)
    assert.ok(dropped.length > 0, 'the refused prepare did reach Kafka late (the case under test), and was dropped unread')
  } finally {
    sw.kill('SIGKILL')
    await kafka.stop()
  }
})

test('with the database where nothing listens, the switch is alive but not ready, and a prepare gets 2003 within the bound', async () => {
  const sw = await start({ AGORA_DB_PORT: String(await deadPort()) }, { topics: true })
  try {
    await waitForAnswer(`${sw.apiUrl}/live`, { status: 200, timeout_ms: 60_000 })
    const refused = await timedPrepare(sw)
    console.log(`database absent: prepare answered ${refused.status} ${refused.code} after ${Math.round(refused.elapsed_ms)} ms`)
    assert.equal(refused.status, 503)
    assert.equal(refused.code, '2003')
    assert.ok(refused.elapsed_ms < REFUSAL_BOUND_MS, `answered within ${REFUSAL_BOUND_MS} ms (took ${Math.round(refused.elapsed_ms)})`)
    const ready = await probe(`${sw.apiUrl}/ready`)
    assert.equal(ready.status, 503)
    assert.equal(ready.body.services.find((s: ServiceHealth) => s.name === 'datastore').status, 'DOWN')
    assert.equal((await probe(`${sw.apiUrl}/live`)).status, 200)
  } finally {
    sw.kill('SIGKILL')
  }
})
