// Funds in and out at the store: balanced FUNDS_IN / FUNDS_OUT entries against the hub reconciliation
// account, two-phase funds out on the settlement account's reserved value, never below zero.
import { after, afterEach, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { createTestDb, type TestDb } from '../../test/support/db.ts'
import { assertLedgerInvariants } from '../invariants/ledger-invariants.ts'
import { Decimal } from '../domain/money.ts'
import { findAccountById, insertAccount, insertParticipant } from './participants.ts'
import { completeFundsOut, recordFundsIn, reserveFundsOut, type FundsRequest } from './funds.ts'

let testDb: TestDb
let hubAccountId: number
let settlementId: number
let participantId: number

before(async () => {
  testDb = await createTestDb('funds')
  await testDb.db.transaction(async (trx) => {
    const hub = await insertParticipant(trx, { name: 'fundshub', isHub: true, createdBy: 'test' })
    hubAccountId = await insertAccount(trx, { participantId: hub.id, currency: 'USD', type: 'HUB_RECONCILIATION' })
    const dfsp = await insertParticipant(trx, { name: 'fundsfsp', isHub: false, createdBy: 'test' })
    participantId = dfsp.id
    settlementId = await insertAccount(trx, { participantId: dfsp.id, currency: 'USD', type: 'SETTLEMENT' })
  })
})
afterEach(async () => assertLedgerInvariants(testDb.db))
after(async () => testDb.drop())

const settlement = async () => (await findAccountById(testDb.db, settlementId))!
const balances = async () => { const s = await settlement(); return [s.value, s.reservedValue] }

async function request(amount: string, transferId = randomUUID(), requestHash = `hash-${amount}`): Promise<FundsRequest> {
  return { transferId, account: await settlement(), hubReconciliationAccountId: hubAccountId, amount: new Decimal(amount), reason: 'test', extensionList: undefined, requestHash, actor: 'test' }
}

test('funds in lowers the settlement value and raises the hub reconciliation account by the same amount', async () => {
  const req = await request('1000')
  assert.deepEqual(await testDb.db.transaction((trx) => recordFundsIn(trx, req)), { ok: true, duplicate: false })
  assert.deepEqual(await balances(), ['-1000.0000', '0.0000'])
  assert.equal((await findAccountById(testDb.db, hubAccountId))!.value, '1000.0000')
  assert.deepEqual(await testDb.db.transaction((trx) => recordFundsIn(trx, req)), { ok: true, duplicate: true })
  const modified = await testDb.db.transaction((trx) => recordFundsIn(trx, { ...req, requestHash: 'other' }))
  assert.equal(modified.ok || modified.problem, 'modified-request')
  assert.deepEqual(await balances(), ['-1000.0000', '0.0000'], 'a duplicate moves nothing')
})

test('funds out reserves the available balance only, then commits or aborts once', async () => {
  const first = await request('700')
  const second = await request('300.0001')
  assert.equal((await testDb.db.transaction(async (trx) => reserveFundsOut(trx, first))).ok, true)
  const tooMuch = await testDb.db.transaction(async (trx) => reserveFundsOut(trx, second))
  assert.equal(tooMuch.ok || tooMuch.problem, 'insufficient-funds')
  assert.deepEqual(await balances(), ['-1000.0000', '700.0000'])
  const done = (transferId: string, action: 'commit' | 'abort') => testDb.db.transaction((trx) =>
    completeFundsOut(trx, { transferId, participantId, accountId: settlementId, hubReconciliationAccountId: hubAccountId, action, reason: undefined, actor: 'test' }))
  assert.deepEqual(await done(first.transferId, 'commit'), { ok: true, duplicate: false })
  assert.deepEqual(await balances(), ['-300.0000', '0.0000'])
  assert.deepEqual(await done(first.transferId, 'commit'), { ok: true, duplicate: true })
  const late = await done(first.transferId, 'abort')
  assert.equal(late.ok || late.problem, 'already-final')
  const unknown = await done(randomUUID(), 'commit')
  assert.equal(unknown.ok || unknown.problem, 'unknown-funds-transfer')

  const third = await request('300')
  assert.equal((await testDb.db.transaction(async (trx) => reserveFundsOut(trx, third))).ok, true)
  assert.deepEqual(await done(third.transferId, 'abort'), { ok: true, duplicate: false })
  assert.deepEqual(await balances(), ['-300.0000', '0.0000'], 'an abort only releases the reservation')
})

test('concurrent funds out cannot together take the balance below zero', async () => {
  const attempts = await Promise.all(Array.from({ length: 5 }, async () => {
    const req = await request('100')
    return testDb.db.transaction((trx) => reserveFundsOut(trx, req))
  }))
  assert.equal(attempts.filter((r) => r.ok).length, 3, 'the 300 available cover three reservations of 100')
  assert.deepEqual(await balances(), ['-300.0000', '300.0000'])
})

test('concurrent funds in and out on many accounts neither deadlock nor lose a movement', async () => {
  const accounts = await testDb.db.transaction(async (trx) => Promise.all(['many1', 'many2', 'many3', 'many4'].map(async (name) => {
    const p = await insertParticipant(trx, { name, isHub: false, createdBy: 'test' })
    return insertAccount(trx, { participantId: p.id, currency: 'USD', type: 'SETTLEMENT' })
  })))
  const move = async (accountId: number, kind: 'in' | 'out', amount = '1') => {
    const account = (await findAccountById(testDb.db, accountId))!
    const req: FundsRequest = { transferId: randomUUID(), account, hubReconciliationAccountId: hubAccountId, amount: new Decimal(amount), reason: undefined, extensionList: undefined, requestHash: 'h', actor: 'test' }
    return testDb.db.transaction((trx) => kind === 'in' ? recordFundsIn(trx, req) : reserveFundsOut(trx, req))
  }
  await Promise.all(accounts.map((id) => move(id, 'in', '2'))) // covers both funds out whatever the order
  const results = await Promise.all(accounts.flatMap((id) => [move(id, 'in'), move(id, 'in'), move(id, 'out'), move(id, 'out')]))
  assert.deepEqual(results.filter((r) => !r.ok), [])
  for (const id of accounts) {
    const a = (await findAccountById(testDb.db, id))!
    assert.deepEqual([a.value, a.reservedValue], ['-4.0000', '2.0000'])
  }
})

test('without a hub reconciliation account nothing is recorded', async () => {
  const req = { ...(await request('5')), hubReconciliationAccountId: undefined }
  const result = await testDb.db.transaction((trx) => recordFundsIn(trx, req))
  assert.equal(result.ok || result.problem, 'hub-account-missing')
  assert.equal(await testDb.db('funds_movement').where({ id: req.transferId }).first(), undefined)
})
