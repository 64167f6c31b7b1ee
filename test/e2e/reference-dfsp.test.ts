// Reference DFSPs pay each other through the real switch: lookup, quote with a real ILP condition,
// transfer; their own books and the switch's ledger agree. Rejections, payees that answer RESERVED (and
// book on the PATCH) or COMMITTED (and book once GET /transfers/{id} says so), slow answers, FSPIOP v2.0,
// and callbacks the DFSP refuses: it learns the final state late or by asking, and books it once.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { startSwitch, type SwitchHarness } from '../support/switch-harness.ts'
import { call, onboardDfsp, setupHub } from '../support/fixtures.ts'
import { ReferenceDfsp, type FspiopCallbackError, type ReferenceDfspOptions } from '../../adapters/reference-dfsp/reference-dfsp.ts'
import { startDfspHost, type DfspHost } from '../../adapters/reference-dfsp/dfsp-host.ts'
import { ilpPacketFor } from '../../adapters/reference-dfsp/ilp.ts'
import { ledgerViewOfDb, reconcileWithLedger } from '../../adapters/reference-dfsp/ledger-reconciliation.ts'
import { assertSwitchInvariants } from '../support/switch-invariants.ts'

const POLL_ATTEMPTS_MAX = 100
const POLL_INTERVAL_MS = 50

let sw: SwitchHarness
const booksDir = mkdtempSync(path.join(tmpdir(), 'agora-refdfsp-books-'))
let host: DfspHost
const dfsps: Record<string, ReferenceDfsp> = {}
/** Transfer callbacks (by DFSP and path) the host refuses, each with the statuses to answer, one per delivery. */
const refusing = new Map<string, number[]>()

function dfsp(name: string, customer: string, balance: string, extra: Partial<ReferenceDfspOptions> = {}): ReferenceDfsp {
  return (dfsps[name] = new ReferenceDfsp({
    name, secret: `${name}-secret`, switchUrl: sw.apiUrl, customers: [{ idType: 'MSISDN', id: customer, name: `customer ${customer}`, balance }], ...extra,
  }))
}

const account = (balance: bigint, held = 0n, incoming = 0n) => ({ balance, held, incoming })
const payeeOf = (d: ReferenceDfsp) => ({ fspId: d.name, idType: 'MSISDN', id: d.options.customers[0]!.id })
const customerOf = (d: ReferenceDfsp) => d.books.accounts.get(d.options.customers[0]!.id)

async function position(name: string): Promise<number> {
  return (await call(sw.admin, 'GET', `/participants/${name}/positions?currency=USD`)).body.value
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < POLL_ATTEMPTS_MAX && !check(); i++) await new Promise((r) => setTimeout(r, POLL_INTERVAL_MS))
  assert.ok(check(), what)
}

before(async () => {
  sw = await startSwitch('refdfsp')
  dfsp('refbank', '255711000001', '500')
  dfsp('refwallet', '255722000002', '0')
  dfsp('refpicky', '255733000003', '0', { rejectTransfersWith: '5104' })
  dfsp('refnoquote', '255744000004', '0', { rejectQuotesWith: '5101' })
  dfsp('refcareful', '255755000005', '0', { payeeAnswers: 'RESERVED', answerDelay_ms: 20 })
  dfsp('refv2payer', '255766000006', '100', { version: '2.0' })
  dfsp('refv2payee', '255777000007', '0', { version: '2.0' })
  dfsp('refconfirms', '255788000008', '0', { payeeAnswers: 'COMMITTED' })
  dfsp('refasks', '255799000009', '100', { callbackTimeout_ms: 200, resolveAfter_ms: 300, resolveBackoffFirst_ms: 100 })
  dfsp('refpatient', '255700000010', '100', { callbackTimeout_ms: 100, resolveAfter_ms: 60_000 })
  dfsp('refrestarts', '255700000011', '100', { callbackTimeout_ms: 100, resolveAfter_ms: 60_000, booksFile: path.join(booksDir, 'refrestarts.jsonl') })
  host = await startDfspHost(Object.values(dfsps), { refuse: (name, method, path) => refusing.get(`${name} ${method} ${path}`)?.shift() })
  await setupHub(sw.admin, 'USD')
  for (const d of Object.values(dfsps)) {
    await onboardDfsp(sw.admin, { name: d.name, ndc: '10000', fundsIn: '10000', endpointBase: host.endpointBase(d.name) })
    await d.registerParties()
  }
})
after(async () => {
  for (const d of Object.values(dfsps)) await d.close()
  await host.close()
  await sw.stop()
  rmSync(booksDir, { recursive: true, force: true })
})

test('lookup, quote and transfer between reference DFSPs move their books and the ledger alike', async () => {
  const { refbank: bank, refwallet: wallet } = dfsps as Record<string, ReferenceDfsp>
  const party = await bank!.lookup('MSISDN', '255722000002')
  assert.equal(party.value.party.name, 'customer 255722000002')
  assert.equal(party.value.party.partyIdInfo.fspId, 'refwallet')
  const quote = await bank!.quote(payeeOf(wallet!), '255711000001', '120', 'USD')
  assert.equal(quote.value.condition.length, 43)
  assert.deepEqual(quote.value.transferAmount, { amount: '120', currency: 'USD' })
  const transfer = await bank!.transfer('255711000001', 'refwallet', '120', 'USD', quote.value)
  assert.equal(transfer.value.transferState, 'COMMITTED')
  assert.equal(transfer.value.fulfilment.length, 43)
  assert.ok(transfer.finished_ms >= transfer.accepted_ms && transfer.accepted_ms >= transfer.started_ms)
  assert.deepEqual(customerOf(bank!), account(3_800_000n))
  await eventually(() => customerOf(wallet!)!.balance === 1_200_000n, 'the payee books the credit on the PATCH')
  assert.deepEqual(customerOf(wallet!), account(1_200_000n))
  assert.equal(await position('refbank'), 120)
  assert.equal(await position('refwallet'), -120)
  await assertSwitchInvariants(sw)
})

test('a payee that rejects the transfer leaves the payer whole and itself unpaid', async () => {
  const { refbank: bank, refpicky: picky } = dfsps as Record<string, ReferenceDfsp>
  const before = customerOf(bank!)!.balance
  const quote = await bank!.quote(payeeOf(picky!), '255711000001', '10', 'USD')
  await assert.rejects(bank!.transfer('255711000001', 'refpicky', '10', 'USD', quote.value), (e: FspiopCallbackError) => e.errorCode === '5104')
  assert.deepEqual(customerOf(bank!), account(before))
  assert.deepEqual(customerOf(picky!), account(0n))
  assert.equal(await position('refpicky'), 0)
  await assertSwitchInvariants(sw)
})

test('unknown parties are 3204 at lookup and at quote; a payee can refuse a quote', async () => {
  const { refbank: bank, refwallet: wallet, refnoquote: noquote } = dfsps as Record<string, ReferenceDfsp>
  await assert.rejects(bank!.lookup('MSISDN', '000'), (e: FspiopCallbackError) => e.errorCode === '3204')
  await assert.rejects(bank!.quote({ fspId: wallet!.name, idType: 'MSISDN', id: '999' }, '255711000001', '1', 'USD'), (e: FspiopCallbackError) => e.errorCode === '3204')
  await assert.rejects(bank!.quote(payeeOf(noquote!), '255711000001', '1', 'USD'), (e: FspiopCallbackError) => e.errorCode === '5101')
})

test('a payer cannot send more than its customer has: nothing reaches the switch', async () => {
  const { refbank: bank, refwallet: wallet } = dfsps as Record<string, ReferenceDfsp>
  const quote = await bank!.quote(payeeOf(wallet!), '255711000001', '1000', 'USD')
  await assert.rejects(bank!.transfer('255711000001', 'refwallet', '1000', 'USD', quote.value), (e: FspiopCallbackError) => e.errorCode === '4001')
  assert.equal(customerOf(bank!)!.held, 0n)
})

test('a payee that answers RESERVED books the credit only when the switch says COMMITTED', async () => {
  const { refbank: bank, refcareful: careful } = dfsps as Record<string, ReferenceDfsp>
  const quote = await bank!.quote(payeeOf(careful!), '255711000001', '7.5', 'USD')
  const transfer = await bank!.transfer('255711000001', 'refcareful', '7.5', 'USD', quote.value)
  assert.equal(transfer.value.transferState, 'COMMITTED')
  await eventually(() => customerOf(careful!)!.balance === 75_000n, 'the PATCH with COMMITTED books the credit')
  assert.deepEqual(customerOf(careful!), account(75_000n))
  await assertSwitchInvariants(sw)
})

test('DFSPs speaking FSPIOP 2.0 pay each other', async () => {
  const { refv2payer: payer, refv2payee: payee } = dfsps as Record<string, ReferenceDfsp>
  await payer!.lookup('MSISDN', '255777000007')
  const quote = await payer!.quote(payeeOf(payee!), '255766000006', '40', 'USD')
  const transfer = await payer!.transfer('255766000006', 'refv2payee', '40', 'USD', quote.value)
  assert.equal(transfer.value.transferState, 'COMMITTED')
  assert.deepEqual(customerOf(payer!), account(600_000n))
  await eventually(() => customerOf(payee!)!.balance === 400_000n, 'the payee books the credit on the PATCH')
  assert.deepEqual(customerOf(payee!), account(400_000n))
  await assertSwitchInvariants(sw)
})

/** Terms the payee will fulfil, without a quote. */
function termsFor(payee: ReferenceDfsp, amount: string) {
  const ilpPacket = ilpPacketFor({ payee: payee.options.customers[0]!.id, amount: { amount, currency: 'USD' } })
  return { ilpPacket, condition: payee.conditionFor(ilpPacket) }
}

test('a payee that answers COMMITTED gets no PATCH: it books the credit once GET /transfers/{id} says COMMITTED', async () => {
  const { refbank: bank, refconfirms: confirms } = dfsps as Record<string, ReferenceDfsp>
  const transfer = await bank!.transfer('255711000001', 'refconfirms', '3', 'USD', termsFor(confirms!, '3'))
  assert.equal(transfer.value.transferState, 'COMMITTED')
  await eventually(() => customerOf(confirms!)!.balance === 30_000n, 'the GET answer books the credit')
  assert.ok(confirms!.transferStatesAsked > 0)
  assert.deepEqual(customerOf(confirms!), account(30_000n))
})

test('a payer whose COMMITTED callback is refused (dead-lettered) learns it with GET /transfers/{id} and debits once', async () => {
  const { refasks: asks, refwallet: wallet } = dfsps as Record<string, ReferenceDfsp>
  const sent = asks!.transfer('255799000009', 'refwallet', '4', 'USD', termsFor(wallet!, '4'))
  const [transferId] = asks!.books.pendingIds() // held before the prepare leaves
  refusing.set(`refasks PUT /transfers/${transferId}`, [400])
  await assert.rejects(sent, /no callback/, 'the caller stops waiting')
  await eventually(() => customerOf(asks!)!.balance === 960_000n, 'the GET answer debits')
  assert.deepEqual(customerOf(asks!), account(960_000n))
  assert.ok(asks!.transferStatesAsked > 0)
  assert.equal(asks!.books.finals.get(transferId!)?.state, 'COMMITTED')
  assert.equal(asks!.lateFinals, 1)
  const dead = await sw.testDb.db('callback_dead_letter').where({ reference: transferId }).first()
  assert.ok(dead, 'the switch dead-lettered the refused callback')
})

test('a COMMITTED that arrives after the caller stopped waiting still debits; a repeat changes nothing, a contradiction is kept', async () => {
  const { refpatient: patient, refwallet: wallet } = dfsps as Record<string, ReferenceDfsp>
  const sent = patient!.transfer('255700000010', 'refwallet', '5', 'USD', termsFor(wallet!, '5'))
  const [transferId] = patient!.books.pendingIds()
  refusing.set(`refpatient PUT /transfers/${transferId}`, [503, 503, 503])
  await assert.rejects(sent, /no callback/)
  await eventually(() => customerOf(patient!)!.balance === 950_000n, 'the switch\'s retry delivers the COMMITTED late')
  assert.equal(patient!.transferStatesAsked, 0, 'no GET was needed')
  await patient!.receive('PUT', `/transfers/${transferId}`, { 'fspiop-source': 'Hub' }, { transferState: 'COMMITTED' })
  assert.deepEqual(customerOf(patient!), account(950_000n))
  await patient!.receive('PUT', `/transfers/${transferId}/error`, { 'fspiop-source': 'Hub' }, { errorInformation: { errorCode: '3303', errorDescription: 'expired' } })
  assert.deepEqual(customerOf(patient!), account(950_000n))
  assert.deepEqual(patient!.books.conflicts, [{ transferId, booked: 'COMMITTED', reported: 'ABORTED' }])
  patient!.books.conflicts.length = 0
})

test('a DFSP stopped with a transfer pending has its books back from its file when started again, and resolves the transfer', async () => {
  const { refrestarts: first, refwallet: wallet } = dfsps as Record<string, ReferenceDfsp>
  const sent = first!.transfer('255700000011', 'refwallet', '6', 'USD', termsFor(wallet!, '6'))
  const [transferId] = first!.books.pendingIds()
  refusing.set(`refrestarts PUT /transfers/${transferId}`, [400])
  await assert.rejects(sent, /no callback/)
  for (let i = 0; i < POLL_ATTEMPTS_MAX && !(await sw.testDb.db('callback_dead_letter').where({ reference: transferId }).first()); i++) await sleep(POLL_INTERVAL_MS)
  await first!.close()
  assert.deepEqual(customerOf(first!), account(1_000_000n, 60_000n), 'it stopped with the amount held')
  const again = new ReferenceDfsp(first!.options)
  dfsps.refrestarts = again
  host.serve(again)
  assert.deepEqual(customerOf(again), account(1_000_000n, 60_000n), 'the hold is back')
  await eventually(() => customerOf(again)!.balance === 940_000n, 'it asks for the state at once and debits')
  assert.deepEqual(customerOf(again), account(940_000n))
  assert.equal(again.books.finals.get(transferId!)?.state, 'COMMITTED')
})

test('after these transfers every reference DFSP\'s books reconcile with the ledger', async () => {
  await eventually(() => Object.values(dfsps).every((d) => d.books.pendingCount === 0), 'every transfer is final in the books')
  const ledger = ledgerViewOfDb(sw.testDb.db)
  for (const d of Object.values(dfsps)) assert.deepEqual(await reconcileWithLedger(d, ledger, { currency: 'USD' }), [], d.name)
})
