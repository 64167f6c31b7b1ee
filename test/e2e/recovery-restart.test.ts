// Fast, honest recovery after a crash: the switch process killed with SIGKILL under a trickle of transfers
// and started again opens its HTTP port before its consumers own partitions again (the dead process's
// group members hold them until the session timeout), and every transfer prepared before the kill still
// reaches COMMITTED: none expires because of the restart. A prepare refused with 2003 while the new process
// connects never appears in the ledger. Prints the restart-to-serving times it measured.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { createTestDb } from '../support/db.ts'
import { createSwitchTopics } from '../support/kafka.ts'
import { testAdminApp } from '../support/apps.ts'
import { onboardDfsp, setupHub } from '../support/fixtures.ts'
import { startTestDfsp } from '../support/dfsp-server.ts'
import { fulfil, newTransfer, prepare, type SentTransfer } from '../support/fspiop-client.ts'
import { logLines, randomPort, spawnSwitch, waitForAnswer, type SpawnedSwitch } from '../support/switch-process.ts'

const TRICKLE_EVERY_MS = 100
const TRICKLE_BEFORE_KILL_MS = 3_000
const TRICKLE_AFTER_RESTART_MS = 10_000
const ALL_SETTLED_WAIT_MS = 90_000
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

test('after SIGKILL and a restart the port answers before the consumer groups have rejoined, and every transfer prepared before the kill reaches COMMITTED', async () => {
  const testDb = await createTestDb('restart')
  const admin = await testAdminApp(testDb.db)
  const payer = await startTestDfsp('restartpayer')
  const payee = await startTestDfsp('restartpayee')
  const env = { AGORA_DB_NAME: testDb.settings.database, AGORA_KAFKA_TOPIC_PREFIX: `t${randomBytes(4).toString('hex')}.restart.`, AGORA_KAFKA_PARTITIONS: '2' }
  const port = randomPort()
  const processes: SpawnedSwitch[] = []
  try {
    await setupHub(admin, 'USD')
    for (const dfsp of [payer, payee]) await onboardDfsp(admin, { name: dfsp.name, ndc: '100000', fundsIn: '100000', endpointBase: dfsp.url })
    await createSwitchTopics(env)
    const first = spawnSwitch(port, env)
    processes.push(first)
    await waitForAnswer(`${first.apiUrl}/ready`, { status: 200, timeout_ms: 90_000 })

    // The payee fulfils every prepare it gets, and tries again while the switch is down or refuses (2003).
    const transfers = new Map<string, SentTransfer>()
    const completedAt = new Map<string, number>()
    payee.onCallback((c) => {
      const t = c.method === 'POST' && c.path === '/transfers' ? transfers.get(c.body.transferId) : undefined
      if (t) void fulfilUntilTaken(first.apiUrl, t)
    })
    payer.onCallback((c) => {
      if (c.method === 'PUT' && c.body?.transferState === 'COMMITTED') completedAt.set(c.path.split('/')[2]!, performance.now())
    })

    const sent: { transferId: string; sentAt: number; answeredAt: number; status: number; code?: string }[] = []
    let trickling = true
    const trickle = (async () => {
      while (trickling) {
        const t = newTransfer(payer.name, payee.name, '1')
        transfers.set(t.transferId, t)
        const sentAt = performance.now()
        const answer = await prepare(first.apiUrl, t).catch(() => ({ status: -1, body: undefined })) // -1: no answer (killed, or not listening)
        sent.push({ transferId: t.transferId, sentAt, answeredAt: performance.now(), status: answer.status, code: answer.body?.errorInformation?.errorCode })
        await sleep(TRICKLE_EVERY_MS)
      }
    })()

    await sleep(TRICKLE_BEFORE_KILL_MS)
    first.kill('SIGKILL')
    await first.exited
    const killedAt = performance.now()
    const second = spawnSwitch(port, env)
    processes.push(second)
    const restartedAt = performance.now()
    const live = await waitForAnswer(`${second.apiUrl}/live`, { timeout_ms: 60_000, every_ms: 20 })
    const readyAtFirstAnswer = await fetch(`${second.apiUrl}/ready`).then(async (r) => ({ status: r.status, body: await r.json() }))
    const ready = await waitForAnswer(`${second.apiUrl}/ready`, { status: 200, timeout_ms: 60_000, every_ms: 50 })
    await sleep(Math.max(0, TRICKLE_AFTER_RESTART_MS - (performance.now() - restartedAt)))
    trickling = false
    await trickle

    const acceptedBeforeKill = sent.filter((s) => s.status === 202 && s.answeredAt < killedAt)
    const acceptedAfter = sent.filter((s) => s.status === 202 && s.sentAt > restartedAt)
    const refused = sent.filter((s) => s.status === 503)
    assert.ok(acceptedBeforeKill.length > 0 && acceptedAfter.length > 0, `transfers were accepted before the kill (${acceptedBeforeKill.length}) and after the restart (${acceptedAfter.length})`)
    for (const r of refused) assert.equal(r.code, '2003', 'a refusal while the switch connects is 2003 Service currently unavailable')

    const accepted = [...acceptedBeforeKill, ...acceptedAfter].map((s) => s.transferId)
    const deadline = Date.now() + ALL_SETTLED_WAIT_MS
    let states = new Map<string, string>()
    for (;;) {
      const rows: { id: string; state: string }[] = await testDb.db('transfer').whereIn('id', accepted).select('id', 'state')
      states = new Map(rows.map((r) => [r.id, r.state]))
      if (accepted.every((id) => states.get(id) === 'COMMITTED') || Date.now() > deadline) break
      await sleep(250)
    }
    const notCommitted = accepted.filter((id) => states.get(id) !== 'COMMITTED').map((id) => `${id}: ${states.get(id) ?? 'not in the ledger'}`)
    assert.deepEqual(notCommitted, [], 'every accepted transfer, before the kill and after the restart, is COMMITTED (none expired)')
    const refusedInLedger = await testDb.db('transfer').whereIn('id', refused.map((s) => s.transferId)).pluck('id')
    assert.deepEqual(refusedInLedger, [], 'a prepare answered 2003 never takes effect')

    assert.equal(readyAtFirstAnswer.status, 503, `the port answered before the pipeline was ready: ${JSON.stringify(readyAtFirstAnswer.body)}`)
    second.kill('SIGTERM')
    assert.equal(await second.exited, 0, second.output())
    const portsOpen = logLines(second.output(), 'HTTP ports open')[0]
    const pipelineReady = logLines(second.output(), 'pipeline ready: producer connected, consumer groups joined')[0]
    assert.ok(portsOpen && pipelineReady && portsOpen.since_start_ms < pipelineReady.since_start_ms, 'the ports opened before the consumer groups were joined')

    const firstAccepted = Math.min(...acceptedAfter.map((s) => s.answeredAt))
    const completedAfterRestart = [...completedAt.values()].filter((at) => at > restartedAt)
    const firstPreparedAfter = Math.min(...acceptedAfter.map((s) => completedAt.get(s.transferId) ?? Infinity))
    const ms = (at: number) => `${Math.round(at - restartedAt)} ms`
    console.log([
      `restart (SIGKILL, then a new process) under a trickle of one prepare per ${TRICKLE_EVERY_MS} ms:`,
      `  restart → port answers /live            ${ms(restartedAt + live.elapsed_ms)}   (/ready then: ${readyAtFirstAnswer.status}, ${readyAtFirstAnswer.body.services?.find((s: any) => s.status === 'DOWN')?.detail ?? ''})`,
      `  restart → first 202                     ${ms(firstAccepted)}`,
      `  restart → first transfer COMMITTED      ${ms(Math.min(...completedAfterRestart))}   (one prepared after the restart: ${ms(firstPreparedAfter)})`,
      `  restart → /ready 200                    ${ms(restartedAt + live.elapsed_ms + ready.elapsed_ms)}`,
      `  in the new process: ports open at ${portsOpen.since_start_ms} ms, consumer groups joined at ${pipelineReady.since_start_ms} ms after its start`,
      `  accepted before the kill ${acceptedBeforeKill.length}, after the restart ${acceptedAfter.length}, refused 2003 ${refused.length}, unanswered ${sent.filter((s) => s.status === -1).length}: all accepted COMMITTED`,
    ].join('\n'))
  } finally {
    for (const p of processes) p.kill('SIGKILL')
    await admin.close()
    await payer.close()
    await payee.close()
    await testDb.drop()
  }
})

/** As a DFSP would: PUT the fulfilment again while the switch does not take it (down, or 2003). */
async function fulfilUntilTaken(apiUrl: string, t: SentTransfer): Promise<void> {
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    const answer = await fulfil(apiUrl, t).catch(() => undefined)
    if (answer?.status === 200) return
    await sleep(100)
  }
}
