// G2P with the switch killed and restarted once in the middle: a pain.001 of 12,000 beneficiaries to two
// reference-DFSP wallets (123 unknown, the payer's net debit cap below the total) is paid by the real
// switch process (switch/main.ts: API, Kafka pipeline, disbursement engine, bulk quotes and transfers).
// Once some chunks are recorded, the process is SIGKILLed the moment the next bulk transfer reaches a
// wallet (the wallets answer 500 ms late, so their fulfilments and bulk quote answers meet a dead switch),
// and started again on the same database and topics. After COMPLETED: every registered beneficiary within
// the cap is paid exactly once (one credit in the wallet's books, one COMMITTED transfer in the ledger),
// the others are reported with why (3204 unknown, 4200/4001 over the cap, nothing else), the pain.002
// agrees with the ledger, and the ledger and pipeline invariants hold.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { Decimal } from 'decimal.js'
import { ReferenceDfsp } from '../../adapters/reference-dfsp/reference-dfsp.ts'
import { startDfspHost, type DfspHost } from '../../adapters/reference-dfsp/dfsp-host.ts'
import { pain001Sample } from '../../switch/disbursements/examples/pain001-sample.ts'
import { disbursementIds } from '../../switch/disbursements/disbursement-ids.ts'
import { assertLedgerInvariants } from '../../ledger/invariants/ledger-invariants.ts'
import { pipelineInvariants } from '../../switch/invariants/pipeline-invariants.ts'
import { call, onboardDfsp, setupHub } from '../support/fixtures.ts'
import { switchProcess, type SwitchProcess } from '../support/switch-process.ts'

const BENEFICIARIES = 12_000
/** Every 97th beneficiary is registered nowhere: UNRESOLVED. */
const isUnknown = (i: number) => i % 97 === 96
/** Even beneficiaries hold a wallet at g2pwalleta, odd ones at g2pwalletb. */
const walletOf = (i: number) => (i % 2 === 0 ? 'g2pwalleta' : 'g2pwalletb')
const msisdn = (i: number) => `2557000${String(i).padStart(5, '0')}` // as pain001Sample writes them
const AMOUNT = '2'
/** The payer's cap: room for 10,000 of the 11,877 registered beneficiaries at 2 each. */
const PAYER_NDC = '20000'
const PAID_WITHIN_CAP = 10_000
const MSG_ID = 'MOF-KILLED-1'
const PAYER = 'g2pkillmof'
const COMPLETED_WAIT_MS = 240_000
/** The wallets take this long to answer a bulk quote or transfer: the switch is killed in that time, so the answer meets a dead switch. */
const PAYEE_ANSWER_DELAY_MS = 500
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

let sw: SwitchProcess
let host: DfspHost
let wallets: ReferenceDfsp[]
let government: ReferenceDfsp
/** Set while the test waits for a bulk transfer to reach a wallet. */
let bulkTransferArrived: (() => void) | undefined

before(async () => {
  sw = switchProcess('g2pkill')
  await sw.start()
  const indices = Array.from({ length: BENEFICIARIES }, (_, i) => i).filter((i) => !isUnknown(i))
  government = new ReferenceDfsp({ name: PAYER, secret: 'gov-secret', switchUrl: sw.apiUrl, customers: [{ idType: 'MSISDN', id: '255600000001', name: 'treasury', balance: '1000000' }] })
  wallets = ['g2pwalleta', 'g2pwalletb'].map((name) => new ReferenceDfsp({
    name, secret: `${name}-secret`, switchUrl: sw.apiUrl, answerDelay_ms: PAYEE_ANSWER_DELAY_MS,
    customers: indices.filter((i) => walletOf(i) === name).map((i) => ({ idType: 'MSISDN', id: msisdn(i), name: `b${i}`, balance: '0' })),
  }))
  for (const w of wallets) {
    const receive = w.receive.bind(w)
    w.receive = (method, path, headers, body) => {
      if (method === 'POST' && path.startsWith('/bulkTransfers')) bulkTransferArrived?.()
      return receive(method, path, headers, body)
    }
  }
  host = await startDfspHost([government, ...wallets])
  await setupHub(sw.admin, 'USD')
  await onboardDfsp(sw.admin, { name: PAYER, ndc: PAYER_NDC, fundsIn: '100000', endpointBase: host.endpointBase(PAYER) })
  for (const w of wallets) await onboardDfsp(sw.admin, { name: w.name, ndc: '100000', fundsIn: '100000', endpointBase: host.endpointBase(w.name) })
  for (const w of wallets) {
    const registered = await w.registerParties()
    assert.ok(registered.value.partyList.every((p: { errorInformation?: unknown }) => !p.errorInformation), `${w.name} registered its customers`)
  }
})
after(async () => {
  for (const dfsp of [government, ...(wallets ?? [])]) await dfsp?.close()
  await host?.close()
  await sw?.stop()
})

/** Where each unfinished chunk waits: its bulk quote's and bulk transfer's state in the switch. */
async function chunksNotDone() {
  const ids = disbursementIds(PAYER, MSG_ID)
  const chunks: { chunk_no: number; attempts: number }[] = await sw.db('disbursement_chunk').where({ disbursement_id: MSG_ID }).whereNot({ state: 'DONE' })
  return Promise.all(chunks.map(async (c) => ({
    chunk: c.chunk_no, attempts: c.attempts,
    bulkQuote: (await sw.db('bulk_quote').where({ id: ids.bulkQuoteId(c.chunk_no) }).first('state'))?.state ?? 'none',
    bulkTransfer: (await sw.db('bulk_transfer').where({ id: ids.bulkTransferId(c.chunk_no) }).first('state'))?.state ?? 'none',
  })))
}

/** The progress as the database holds it (the switch is dead). */
async function progressInDb(): Promise<Progress> {
  const counts: { state: string; n: number }[] = await sw.db('disbursement_item').where({ disbursement_id: MSG_ID }).groupBy('state').select('state', sw.db.raw('COUNT(*) AS n'))
  const n = (...states: string[]) => counts.filter((c) => states.includes(c.state)).reduce((sum, c) => sum + Number(c.n), 0)
  const state = (await sw.db('disbursement').where({ id: MSG_ID }).first('state')).state
  return { state, total: BENEFICIARIES, paid: n('PAID'), failed: n('FAILED'), unresolved: n('UNRESOLVED'), pending: n('RECEIVED', 'RESOLVED'), amounts: { paid: '' } }
}

interface Progress { state: string; total: number; paid: number; failed: number; unresolved: number; pending: number; amounts: { paid: string } }
async function progress(): Promise<Progress> {
  const r = await fetch(`${sw.apiUrl}/disbursements/${MSG_ID}`, { headers: { 'fspiop-source': PAYER } })
  return (await r.json()) as Progress
}

test('a disbursement whose switch is SIGKILLed while PAYING and restarted completes with every registered beneficiary within the payer\'s cap paid exactly once, and the report agrees with the ledger', async () => {
  const submittedAt = performance.now()
  const xml = pain001Sample({ msgId: MSG_ID, n: BENEFICIARIES, amount: () => AMOUNT })
  const accepted = await fetch(`${sw.apiUrl}/disbursements`, { method: 'POST', headers: { 'content-type': 'application/xml', 'fspiop-source': PAYER }, body: xml })
  assert.equal(accepted.status, 202, await accepted.clone().text())
  const acceptedAt = performance.now()

  // Kill once some chunks are recorded, the moment the next bulk transfer reaches a wallet: its items are
  // RESERVED in the ledger and the wallet's fulfilment comes when the switch is dead.
  let atKill: Progress
  for (;;) {
    atKill = await progress()
    if (atKill.state === 'PAYING' && atKill.paid + atKill.failed > 0) break
    assert.notEqual(atKill.state, 'COMPLETED', 'the disbursement completed before the switch could be killed in the middle')
    await sleep(50)
  }
  await new Promise<void>((resolve) => { bulkTransferArrived = resolve })
  bulkTransferArrived = undefined
  await sw.kill()
  atKill = await progressInDb()
  const registered = BENEFICIARIES - atKill.unresolved
  assert.ok(atKill.pending > 0 && atKill.paid < registered, `killed in the middle: ${JSON.stringify(atKill)}`)
  const killedAt = performance.now()
  await sw.start()
  const restartedAt = performance.now()

  const deadline = Date.now() + COMPLETED_WAIT_MS
  let done: Progress
  do {
    await sleep(250)
    done = await progress()
  } while (done.state !== 'COMPLETED' && Date.now() < deadline)
  const ms = (from: number, to: number) => `${Math.round(to - from)} ms`
  console.log(`# accepted after ${ms(submittedAt, acceptedAt)}, killed ${ms(acceptedAt, killedAt)} later while ${atKill.state} at ${JSON.stringify({ paid: atKill.paid, failed: atKill.failed, pending: atKill.pending })}; healthy again after ${ms(killedAt, restartedAt)}, ${done.state} ${ms(restartedAt, performance.now())} later: ${JSON.stringify({ paid: done.paid, failed: done.failed, unresolved: done.unresolved })}; chunks sent again: ${(await sw.db('disbursement_chunk').where({ disbursement_id: MSG_ID }).andWhere('attempts', '>', 1).count({ n: '*' }))[0].n}`)
  assert.equal(done.state, 'COMPLETED', `the restarted switch finishes the disbursement; chunks not done: ${JSON.stringify(await chunksNotDone())}`)

  const unknown = Array.from({ length: BENEFICIARIES }, (_, i) => i).filter(isUnknown)
  assert.deepEqual([done.paid, done.failed, done.unresolved], [PAID_WITHIN_CAP, BENEFICIARIES - unknown.length - PAID_WITHIN_CAP, unknown.length])
  const items: { item_no: number; state: string; payee_fsp: string | null; error_code: string | null }[] = await sw.db('disbursement_item').where({ disbursement_id: MSG_ID }).orderBy('item_no')
  assert.deepEqual(items.filter((i) => i.state === 'UNRESOLVED').map((i) => [i.item_no, i.error_code]), unknown.map((i) => [i, '3204']), 'exactly the unknown parties are unresolved, with 3204')
  const refusalCodes = new Set(items.filter((i) => i.state === 'FAILED').map((i) => i.error_code))
  assert.ok([...refusalCodes].every((c) => c === '4200' || c === '4001'), `only the payer's cap refused items (no expiry or lost quote after the restart): ${[...refusalCodes]}`)

  // The ledger: one COMMITTED transfer per paid beneficiary (the ids the engine derives), no other.
  const ids = disbursementIds(PAYER, MSG_ID)
  const paid = items.filter((i) => i.state === 'PAID')
  const transferOf = new Map(paid.map((i) => [ids.transferId(i.item_no), i]))
  const committed: { id: string; payee_fsp: string; amount: string }[] = await sw.db('transfer').where({ payer_fsp: PAYER, state: 'COMMITTED' }).select('id', 'payee_fsp', 'amount')
  assert.equal(committed.length, paid.length, 'one COMMITTED transfer per paid beneficiary')
  for (const t of committed) {
    const item = transferOf.get(t.id)
    assert.ok(item, `committed transfer ${t.id} belongs to a paid beneficiary`)
    assert.equal(t.payee_fsp, walletOf(item.item_no))
  }
  const committedSum = committed.reduce((sum, t) => sum.plus(t.amount), new Decimal(0))
  assert.equal(committedSum.toString(), new Decimal(AMOUNT).times(PAID_WITHIN_CAP).toString())
  assert.equal(done.amounts.paid, committedSum.toString())
  const position = (await call(sw.admin, 'GET', `/participants/${PAYER}/positions?currency=USD`)).body.value
  assert.equal(new Decimal(position).toString(), committedSum.toString(), 'the payer\'s position moved by exactly the committed sum')

  // The wallets' books: one credit per paid beneficiary, of its amount; nobody else credited.
  const bookedOf = async (w: ReferenceDfsp) => {
    const expected = paid.filter((i) => walletOf(i.item_no) === w.name).length
    for (let n = 0; n < 200 && [...w.books.finals.values()].filter((f) => f.state === 'COMMITTED').length < expected; n++) await sleep(100)
    return [...w.books.finals.entries()].filter(([, f]) => f.role === 'payee' && f.state === 'COMMITTED')
  }
  for (const w of wallets) {
    const credits = await bookedOf(w)
    const mine = paid.filter((i) => walletOf(i.item_no) === w.name)
    assert.deepEqual(credits.map(([id]) => id).sort(), mine.map((i) => ids.transferId(i.item_no)).sort(), `${w.name} booked exactly the ledger's committed transfers to it`)
    const creditedCustomers = credits.map(([, f]) => f.customer)
    assert.equal(new Set(creditedCustomers).size, creditedCustomers.length, `${w.name}: no beneficiary credited twice`)
    for (const i of mine) assert.equal(w.books.accounts.get(msisdn(i.item_no))!.balance, 2n * 10_000n, `${w.name}: b${i.item_no} holds its one payment`)
    assert.deepEqual(w.books.conflicts, [], `${w.name}: no final state reported two ways`)
  }

  // The pain.002 agrees with the ledger.
  const report = await (await fetch(`${sw.apiUrl}/disbursements/${MSG_ID}/report`, { headers: { 'fspiop-source': PAYER } })).text()
  assert.equal(report.match(/<TxSts>ACCC<\/TxSts>/g)?.length, committed.length, 'ACCC count = committed transfers')
  assert.equal(report.match(/<TxSts>RJCT<\/TxSts>/g)?.length, BENEFICIARIES - committed.length)
  assert.equal(report.match(/<TxSts>PDNG<\/TxSts>/g), null)

  await assertLedgerInvariants(sw.db, pipelineInvariants())
})
