import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createTestDb, type TestDb } from '../../test/support/db.ts'
import { createMemoryBulkPayments, type MemoryBulkPayments } from '../../test/support/memory-bulk-payments.ts'
import { createMysqlOracle, type Oracle } from '../lookup/oracle.ts'
import { silentLogger } from '../observability/logger.ts'
import { createDisbursementEngine, type EngineDeps } from './disbursement-engine.ts'
import { createDisbursement, findDisbursement, progressOf } from './disbursement-store.ts'
import { contentHash, type Beneficiary, type Submission } from './submission.ts'

let t: TestDb
let oracle: Oracle
before(async () => {
  t = await createTestDb('disb_engine')
  oracle = createMysqlOracle(t.db)
})
after(async () => { await t.drop() })

const PAYER = 'ministry'
/** Beneficiaries 0..n-1: even ones at dfsp-a, odd ones at dfsp-b, registered in the oracle (except `unknown`). */
async function beneficiaries(prefix: string, n: number, opts: { unknown?: number; amount?: (i: number) => string } = {}): Promise<Beneficiary[]> {
  const list = Array.from({ length: n }, (_, i) => ({ idType: 'MSISDN', idValue: `${prefix}${String(i).padStart(6, '0')}`, amount: opts.amount?.(i) ?? '10', name: `B ${i}`, reference: `r${i}` }))
  const even = list.filter((_, i) => i % 2 === 0).map((b) => ({ type: b.idType, id: b.idValue }))
  const odd = list.filter((_, i) => i % 2 === 1).map((b) => ({ type: b.idType, id: b.idValue }))
  await oracle.registerAll(even, 'dfsp-a')
  await oracle.registerAll(odd, 'dfsp-b')
  const unknown = Array.from({ length: opts.unknown ?? 0 }, (_, i) => ({ idType: 'MSISDN', idValue: `${prefix}x${i}`, amount: '10', name: '', reference: '' }))
  return [...list, ...unknown]
}

async function submit(id: string, list: Beneficiary[]): Promise<void> {
  const submission: Submission = { format: 'csv', disbursementId: id, currency: 'USD', beneficiaries: list, meta: {} }
  await createDisbursement(t.db, PAYER, submission, contentHash(submission))
}

function engine(bulk: MemoryBulkPayments, extra: Partial<EngineDeps> = {}) {
  return createDisbursementEngine({ db: t.db, oracle, bulk, log: silentLogger(), ...extra })
}

test('every resolved beneficiary is paid exactly once, grouped by payee DFSP in chunks of at most 1000; the unresolvable are reported, not paid', async () => {
  const list = await beneficiaries('2551', 2_500, { unknown: 7 })
  await submit('d-basic', list)
  const bulk = createMemoryBulkPayments()
  let lookupCalls = 0
  const counting = { lookupAll: (keys: Parameters<Oracle['lookupAll']>[0], currency?: string) => { lookupCalls++; return oracle.lookupAll(keys, currency) } }
  await engine(bulk, { oracle: counting }).run('d-basic')
  const row = (await findDisbursement(t.db, 'd-basic'))!
  const progress = await progressOf(t.db, row)
  assert.equal(row.state, 'COMPLETED')
  assert.deepEqual({ paid: progress.paid, unresolved: progress.unresolved, failed: progress.failed, pending: progress.pending }, { paid: 2_500, unresolved: 7, failed: 0, pending: 0 })
  assert.equal(progress.amounts.paid, '25000')
  assert.ok([...bulk.commits.values()].every((n) => n === 1))
  assert.equal(bulk.commits.size, 2_500)
  assert.equal(bulk.calls.transfer, 4, '1250 per DFSP → 2 chunks each')
  assert.ok(lookupCalls < 5, `resolved in batches (${lookupCalls} lookupAll calls)`)
  const unresolved = await t.db('disbursement_item').where({ disbursement_id: 'd-basic', state: 'UNRESOLVED' }).select('error_code')
  assert.ok(unresolved.every((r: { error_code: string }) => r.error_code === '3204'))
})

test("items past the payer's limit fail with 4200 and nothing moves for them; the others are paid", async () => {
  const list = await beneficiaries('2552', 300, { amount: () => '100' })
  await submit('d-limit', list)
  const bulk = createMemoryBulkPayments({ payerLimit: { [PAYER]: '12000' } })
  await engine(bulk).run('d-limit')
  const progress = await progressOf(t.db, (await findDisbursement(t.db, 'd-limit'))!)
  assert.equal(progress.paid, 120)
  assert.equal(progress.failed, 180)
  assert.equal(progress.amounts.paid, '12000')
  const codes = await t.db('disbursement_item').where({ disbursement_id: 'd-limit', state: 'FAILED' }).distinct('error_code')
  assert.deepEqual(codes.map((r: { error_code: string }) => r.error_code), ['4200'])
})

test('a beneficiary whose payee refuses the quote fails with the payee\'s code and is not transferred', async () => {
  const list = await beneficiaries('2553', 10)
  await submit('d-quote', list)
  const bulk = createMemoryBulkPayments({ refusedParties: new Set([list[3]!.idValue]) })
  await engine(bulk).run('d-quote')
  const refused = await t.db('disbursement_item').where({ disbursement_id: 'd-quote', item_no: 3 }).first()
  assert.equal(refused.state, 'FAILED')
  assert.equal(refused.error_code, '5100')
  assert.equal(bulk.commits.size, 9)
})

test('the same disbursement submitted and run twice pays nobody twice', async () => {
  const list = await beneficiaries('2554', 1_500)
  const submission: Submission = { format: 'csv', disbursementId: 'd-dup', currency: 'USD', beneficiaries: list, meta: {} }
  assert.equal((await createDisbursement(t.db, PAYER, submission, contentHash(submission))).created, true)
  assert.equal((await createDisbursement(t.db, PAYER, submission, contentHash(submission))).created, false)
  const bulk = createMemoryBulkPayments()
  await engine(bulk).run('d-dup')
  await t.db('disbursement').where({ id: 'd-dup' }).update({ state: 'PAYING' })
  await t.db('disbursement_chunk').where({ disbursement_id: 'd-dup' }).update({ state: 'PENDING' })
  await engine(bulk).run('d-dup')
  assert.equal(bulk.commits.size, 1_500)
  assert.ok([...bulk.commits.values()].every((n) => n === 1))
  assert.ok([...bulk.paidTo.values()].every((amounts) => amounts.length === 1))
  assert.equal((await progressOf(t.db, (await findDisbursement(t.db, 'd-dup'))!)).paid, 1_500)
})

test('a crash after the port paid a chunk but before its results were recorded: a new engine resumes with the same ids and every beneficiary is paid exactly once', async () => {
  const list = await beneficiaries('2555', 5_000)
  await submit('d-crash', list)
  const bulk = createMemoryBulkPayments({ onTransfer: (moment, call) => { if (moment === 'after' && call.number === 3) throw new Error('process killed') } })
  await assert.rejects(engine(bulk, { chunksInFlightMax: 1 }).run('d-crash'), /process killed/)
  const midway = await progressOf(t.db, (await findDisbursement(t.db, 'd-crash'))!)
  assert.equal(midway.paid, 2_000, 'two chunks recorded, the third paid but not recorded')
  bulk.setOptions({ onTransfer: undefined })
  await engine(bulk).run('d-crash')
  const progress = await progressOf(t.db, (await findDisbursement(t.db, 'd-crash'))!)
  assert.equal(progress.paid, 5_000)
  assert.equal(bulk.commits.size, 5_000)
  assert.ok([...bulk.commits.values()].every((n) => n === 1))
  assert.ok([...bulk.paidTo.values()].every((amounts) => amounts.length === 1))
})

test('an engine stopped between chunks leaves the disbursement PAYING; a new engine started later finishes it, paying each beneficiary once', async () => {
  const list = await beneficiaries('2556', 4_000)
  await submit('d-stop', list)
  const bulk = createMemoryBulkPayments({ delay_ms: 20 })
  const first = engine(bulk, { chunksInFlightMax: 1 })
  bulk.setOptions({ onTransfer: (moment) => { if (moment === 'after') void first.stop() } })
  await first.run('d-stop')
  const midway = await progressOf(t.db, (await findDisbursement(t.db, 'd-stop'))!)
  assert.equal((await findDisbursement(t.db, 'd-stop'))!.state, 'PAYING')
  assert.ok(midway.paid > 0 && midway.pending > 0, `stopped midway (${midway.paid} paid)`)
  bulk.setOptions({ onTransfer: undefined })
  const second = engine(bulk)
  second.start()
  while ((await findDisbursement(t.db, 'd-stop'))!.state !== 'COMPLETED') await new Promise((r) => setTimeout(r, 50))
  await second.stop()
  assert.equal((await progressOf(t.db, (await findDisbursement(t.db, 'd-stop'))!)).paid, 4_000)
  assert.ok([...bulk.commits.values()].every((n) => n === 1))
})

test('a port that throws before paying leaves the chunk to be retried; a new engine pays everyone once', async () => {
  const list = await beneficiaries('2557', 2_000)
  await submit('d-throw', list)
  const bulk = createMemoryBulkPayments({ onTransfer: (moment, call) => { if (moment === 'before' && call.number === 1) throw new Error('port unavailable') } })
  await assert.rejects(engine(bulk, { chunksInFlightMax: 1 }).run('d-throw'), /port unavailable/)
  assert.equal(bulk.commits.size, 0)
  assert.equal((await findDisbursement(t.db, 'd-throw'))!.state, 'PAYING')
  await engine(bulk).run('d-throw')
  assert.equal((await progressOf(t.db, (await findDisbursement(t.db, 'd-throw'))!)).paid, 2_000)
  assert.ok([...bulk.commits.values()].every((n) => n === 1))
  const attempts = await t.db('disbursement_chunk').where({ disbursement_id: 'd-throw', chunk_no: 0 }).first('attempts')
  assert.equal(attempts.attempts, 2, 'the chunk was tried again, with the same ids')
})

test('a crash while resolving (the oracle fails midway) is resumed by a new engine: the rest resolved, everyone paid once', async () => {
  const list = await beneficiaries('2558', 12_000)
  await submit('d-resolve', list)
  let calls = 0
  const failing = { lookupAll: (keys: Parameters<Oracle['lookupAll']>[0], currency?: string) => (++calls === 2 ? Promise.reject(new Error('oracle down')) : oracle.lookupAll(keys, currency)) }
  const bulk = createMemoryBulkPayments()
  await assert.rejects(engine(bulk, { oracle: failing }).run('d-resolve'), /oracle down/)
  const midway = await t.db('disbursement_item').where({ disbursement_id: 'd-resolve' }).groupBy('state').select('state', t.db.raw('COUNT(*) AS n'))
  assert.deepEqual(Object.fromEntries(midway.map((r: { state: string; n: number }) => [r.state, Number(r.n)])), { RECEIVED: 7_000, RESOLVED: 5_000 })
  assert.equal(bulk.calls.transfer, 0, 'nothing is paid before every beneficiary is resolved and chunked')
  await engine(bulk).run('d-resolve')
  assert.equal((await progressOf(t.db, (await findDisbursement(t.db, 'd-resolve'))!)).paid, 12_000)
  assert.ok([...bulk.commits.values()].every((n) => n === 1))
})
