// Isolation between DFSPs, end to end over real HTTP, Kafka and MariaDB: a healthy payer and payee
// transfer while two other DFSPs are sent prepares at a steady rate. In some blocks of transfers every
// DFSP answers; in the others one answers 500 and one is black-holed (takes the request, never answers),
// with the same traffic. Each round runs one block of each kind back to back, in alternating order (A B,
// B A, …), so both see the same load from whatever else runs on the machine; the healthy transfers' median
// latency is compared within each round, and the median of the rounds' ratios must stay within 20% (relative,
// never an absolute time). Every topic has one partition, so the failing DFSPs'
// callbacks share the healthy ones' partition, the hardest case. Every callback for the failing DFSPs ends delivered
// (when they answered again) or, retried, dead-lettered (I6).
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { startSwitch, type SwitchHarness } from '../support/switch-harness.ts'
import { startTestDfsp, type TestDfsp } from '../support/dfsp-server.ts'
import { startBlackHoleDfsp, type BlackHoleDfsp } from '../support/black-hole-dfsp.ts'
import { onboardDfsp, setupHub } from '../support/fixtures.ts'
import { fulfil, newTransfer, prepare, type SentTransfer } from '../support/fspiop-client.ts'
import { assertLedgerInvariants } from '../../ledger/invariants/ledger-invariants.ts'
import { deliveredOrDeadLettered, pipelineInvariants } from '../../ledger/invariants/pipeline-invariants.ts'
import { ATTEMPTS_MAX } from '../../switch/fspiop/callbacks.ts'

/** Rounds; odd, so the last block is a failing one (its callbacks are then all dead-lettered, checked below). */
const BLOCKS_PER_KIND = 5
const TRANSFERS_PER_BLOCK = 30
const HEALTHY_CONCURRENCY = 3
/** One prepare to a failing (or, first, answering) DFSP every this many ms, alternating between the two. */
const FAILING_TRAFFIC_EVERY_MS = 15
const FAILING_EXPIRY_MS = 6_000
const LATENCY_RATIO_MAX = 1.2

let sw: SwitchHarness
let payer: TestDfsp
let payee: TestDfsp
let failing500: TestDfsp
let blackHoled: BlackHoleDfsp
const sent = new Map<string, SentTransfer>()

before(async () => {
  sw = await startSwitch('isolation', { partitions: 1, pipeline: { callbackBackoffFirst_ms: 50, callbackAttemptTimeout_ms: 2_000, breakerCoolDown_ms: 500 } })
  payer = await startTestDfsp('payerfsp')
  payee = await startTestDfsp('payeefsp')
  failing500 = await startTestDfsp('errorfsp')
  blackHoled = await startBlackHoleDfsp('blackholefsp')
  await setupHub(sw.admin, 'USD')
  for (const [name, url] of [['payerfsp', payer.url], ['payeefsp', payee.url], ['errorfsp', failing500.url], ['blackholefsp', blackHoled.url]] as const) {
    await onboardDfsp(sw.admin, { name, ndc: '1000000', fundsIn: '1000000', endpointBase: url })
  }
  // The payee fulfils every prepare it is sent, as a DFSP would; two prepares in three it takes only at
  // the second try (a healthy DFSP that is sometimes busy), so healthy transfers go through the retrier too.
  let prepares = 0
  payee.failFirstTry((c) => c.method === 'POST' && c.path === '/transfers' && prepares++ % 3 !== 0, 503)
  payee.onCallback((c) => {
    const t = c.method === 'POST' && c.path === '/transfers' ? sent.get(c.body.transferId) : undefined
    if (t) void fulfil(sw.apiUrl, t)
  })
})
after(async () => {
  await sw.stop()
  for (const dfsp of [payer, payee, failing500, blackHoled]) await dfsp.close()
})

async function healthyTransfer(): Promise<number> {
  const t = newTransfer('payerfsp', 'payeefsp', '1')
  sent.set(t.transferId, t)
  const started = performance.now()
  const committed = payer.waitFor((c) => c.method === 'PUT' && c.path === `/transfers/${t.transferId}` && c.body.transferState === 'COMMITTED', 60_000)
  assert.equal((await prepare(sw.apiUrl, t)).status, 202)
  await committed
  return performance.now() - started
}

/** Healthy transfers' latencies (ms), while prepares go to the other two DFSPs at a steady rate. */
async function block(failingSent: SentTransfer[]): Promise<number[]> {
  let done = false
  const background = (async () => {
    for (let i = 0; !done; i++) {
      const t = newTransfer('payerfsp', i % 2 === 0 ? 'errorfsp' : 'blackholefsp', '1', { expiresIn_ms: FAILING_EXPIRY_MS })
      failingSent.push(t)
      assert.equal((await prepare(sw.apiUrl, t)).status, 202)
      await new Promise((r) => setTimeout(r, FAILING_TRAFFIC_EVERY_MS))
    }
  })()
  const latencies: number[] = []
  let left = TRANSFERS_PER_BLOCK
  await Promise.all(Array.from({ length: HEALTHY_CONCURRENCY }, async () => {
    while (left-- > 0) latencies.push(await healthyTransfer())
  }))
  done = true
  await background
  return latencies
}

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))]!

async function until(what: string, timeout_ms: number, check: () => Promise<boolean>): Promise<void> {
  const end = Date.now() + timeout_ms
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 250))
  }
}

test('one DFSP answering 500 and one black-holed do not slow healthy DFSPs\' transfers; their callbacks are retried, then dead-lettered', async () => {
  for (let i = 0; i < 40; i++) await healthyTransfer() // warm-up: consumers joined, connections open

  const toAnswering: SentTransfer[] = []
  const toFailing: SentTransfer[] = []
  let toLastFailing: SentTransfer[] = []
  const answering: number[] = []
  const failing: number[] = []
  // Paired rounds: each round runs one block of each kind back to back (order alternating), and the rounds'
  // ratios are compared, so the load other test files put on the machine meanwhile weighs on both sides.
  const roundRatios: number[] = []
  for (let b = 0; b < BLOCKS_PER_KIND; b++) {
    const round: Record<string, number[]> = {}
    for (const kind of b % 2 === 0 ? ['answering', 'failing'] : ['failing', 'answering']) {
      if (kind === 'answering') {
        failing500.answerWith(200)
        blackHoled.answer()
        round.answering = await block(toAnswering)
        answering.push(...round.answering)
      } else {
        failing500.answerWith(500)
        blackHoled.blackHole()
        toLastFailing = []
        round.failing = await block(toLastFailing)
        failing.push(...round.failing)
        toFailing.push(...toLastFailing)
      }
    }
    roundRatios.push(percentile(round.failing!, 0.5) / percentile(round.answering!, 0.5))
  }

  const stats = (l: number[]) => ({ p50: Math.round(percentile(l, 0.5)), p90: Math.round(percentile(l, 0.9)) })
  const ratio = percentile(roundRatios, 0.5)
  const summary = { answering: stats(answering), failing: stats(failing), roundRatios: roundRatios.map((r) => Number(r.toFixed(2))), failingPrepares: toFailing.length, held: blackHoled.held() }
  console.log('healthy transfer latency (ms)', JSON.stringify(summary))
  assert.ok(blackHoled.held() > 0, 'the black-holed DFSP was sent callbacks it never answered')
  assert.ok(ratio <= LATENCY_RATIO_MAX,
    `healthy median with failing DFSPs / without, per round: ${summary.roundRatios.join(', ')}; their median ${ratio.toFixed(2)} is more than ${LATENCY_RATIO_MAX}×`)

  // Every transfer to the failing DFSPs expires; every callback they were due (the prepare, the expiry
  // error) ends delivered or dead-lettered with the reason, and nothing is left waiting for a retry.
  const db = sw.testDb.db
  const all = [...toAnswering, ...toFailing].map((t) => t.transferId)
  const drainStarted = Date.now()
  await until('the failing DFSPs\' transfers to expire and their retries to end', 90_000, async () => {
    const open = await db('transfer').whereIn('id', all).whereNot('state', 'EXPIRED').count({ n: '*' })
    const waiting = await db('callback_retry').count({ n: '*' })
    return Number(open[0]!.n) === 0 && Number(waiting[0]!.n) === 0
  })
  console.log(`failing DFSPs' retries ended ${Date.now() - drainStarted} ms after the traffic`)
  const deliveredTo = (t: SentTransfer, path: string) => {
    const to = (t.body as { payeeFsp: string }).payeeFsp
    return to === 'errorfsp' ? failing500.received.some((c) => `${c.method} ${c.path}` === path) : blackHoled.answered.includes(path)
  }
  for (const t of [...toAnswering, ...toFailing]) {
    for (const path of ['POST /transfers', `PUT /transfers/${t.transferId}/error`]) {
      const to = (t.body as { payeeFsp: string }).payeeFsp
      const dead = await db('callback_dead_letter').where({ reference: t.transferId, recipient: to, method: path.split(' ')[0] }).first()
      assert.ok(deliveredTo(t, path) || dead?.reason, `${path} of ${t.transferId} to ${to}: neither delivered nor dead-lettered (I6)`)
    }
    assert.ok(await deliveredOrDeadLettered(db, t.transferId, (id) => payer.received.some((c) => c.path === `/transfers/${id}/error`)), `the payer heard of ${t.transferId}'s expiry`)
  }
  // The DFSPs failed from the last block on: its callbacks were retried, then dead-lettered after all
  // their tries, with the reason of the last.
  const letters = await db('callback_dead_letter').whereIn('reference', toLastFailing.map((t) => t.transferId)).select('recipient', 'method', 'reason', 'attempts')
  assert.equal(letters.filter((l: any) => l.method === 'POST').length, toLastFailing.length, 'every prepare of the last block is dead-lettered')
  assert.ok(letters.every((l: any) => l.attempts === ATTEMPTS_MAX), 'each after the full number of tries')
  assert.ok(letters.some((l: any) => l.recipient === 'errorfsp' && /answered 500/.test(l.reason)), 'the 500s are the reason for errorfsp')
  assert.ok(letters.some((l: any) => l.recipient === 'blackholefsp' && /timeout|aborted/i.test(l.reason)), 'timeouts are the reason for blackholefsp')
  assert.equal(Number((await db('transfer').where({ payer_fsp: 'payerfsp', payee_fsp: 'payeefsp' }).whereNot('state', 'COMMITTED').count({ n: '*' }))[0]!.n), 0)

  await assertLedgerInvariants(db, pipelineInvariants({ bus: sw.bus }))
})
