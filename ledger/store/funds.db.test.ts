// Funds in and out at the store, as central-ledger moves them: funds in against the hub reconciliation
// account; funds out moves the settlement value at reserve (the other side on the hub's clearing account),
// the hub reconciliation at commit, and the settlement value back at abort; never below zero.
import { after, afterEach, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { createTestDb, type TestDb } from '../../test/support/db.ts'
import { assertLedgerInvariants } from '../invariants/ledger-invariants.ts'
import { Decimal } from '../domain/money.ts'
import { findAccountById, insertAccount, insertParticipant } from './participants.ts'
import { completeFundsOut, recordFundsIn, reserveFundsOut, type FundsRequest, type HubFundsAccounts } from './funds.ts'

let testDb: TestDb
let hubAccountId: number
let hub: HubFundsAccounts
let settlementId: number
let participantId: number
let clearingId: number

before(async () => {
  testDb = await createTestDb('funds')
  await testDb.db.transaction(async (trx) => {
    const hubParticipant = await insertParticipant(trx, { name: 'fundshub', isHub: true, createdBy: 'test' })
    hubAccountId = await insertAccount(trx, { participantId: hubParticipant.id, currency: 'USD', type: 'HUB_RECONCILIATION' })
    clearingId = await insertAccount(trx, { participantId: hubParticipant.id, currency: 'USD', type: 'HUB_FUNDS_OUT_CLEARING' })
    const dfsp = await insertParticipant(trx, { name: 'fundsfsp', isHub: false, createdBy: 'test' })
    participantId = dfsp.id
    settlementId = await insertAccount(trx, { participantId: dfsp.id, currency: 'USD', type: 'SETTLEMENT' })
  })
  hub = { reconciliationId: hubAccountId, clearingId }
})
afterEach(async () => assertLedgerInvariants(testDb.db))
after(async () => testDb.drop())

const settlement = async () => (await findAccountById(testDb.db, settlementId))!
const balances = async () => { const s = await settlement(); return [s.value, s.reservedValue] }
const valueOf = async (id: number) => (await findAccountById(testDb.db, id))!.value

async function request(amount: string, transferId = randomUUID(), requestHash = `hash-${amount}`): Promise<FundsRequest> {
  return { transferId, account: await settlement(), hub, amount: new Decimal(amount), reason: 'test', extensionList: undefined, requestHash, actor: 'test' }
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

test('funds out moves the settlement value at reserve, the hub reconciliation at commit, the settlement back at abort', async () => {
  const first = await request('700')
  const second = await request('300.0001')
  assert.equal((await testDb.db.transaction(async (trx) => reserveFundsOut(trx, first))).ok, true)
  const tooMuch = await testDb.db.transaction(async (trx) => reserveFundsOut(trx, second))
  assert.equal(tooMuch.ok || tooMuch.problem, 'insufficient-funds')
  assert.deepEqual(await balances(), ['-300.0000', '0.0000'], 'reserve moves value, not reservedValue')
  assert.deepEqual([await valueOf(hubAccountId), await valueOf(clearingId)], ['1000.0000', '-700.0000'], 'the hub reconciliation does not move at reserve')
  const done = (transferId: string, action: 'commit' | 'abort') => testDb.db.transaction((trx) =>
    completeFundsOut(trx, { transferId, participantId, accountId: settlementId, hub, action, reason: undefined, actor: 'test' }))
  assert.deepEqual(await done(first.transferId, 'commit'), { ok: true, duplicate: false })
  assert.deepEqual(await balances(), ['-300.0000', '0.0000'], 'the settlement value stays at commit')
  assert.deepEqual([await valueOf(hubAccountId), await valueOf(clearingId)], ['300.0000', '0.0000'])
  assert.deepEqual(await done(first.transferId, 'commit'), { ok: true, duplicate: true }, 'a second commit changes nothing')
  assert.deepEqual(await done(first.transferId, 'abort'), { ok: true, duplicate: true }, 'an abort after the commit changes nothing')
  const unknown = await done(randomUUID(), 'commit')
  assert.equal(unknown.ok || unknown.problem, 'unknown-funds-transfer')

  const third = await request('300')
  assert.equal((await testDb.db.transaction(async (trx) => reserveFundsOut(trx, third))).ok, true)
  assert.deepEqual(await balances(), ['0.0000', '0.0000'])
  assert.deepEqual(await done(third.transferId, 'abort'), { ok: true, duplicate: false })
  assert.deepEqual(await balances(), ['-300.0000', '0.0000'], 'an abort moves the settlement value back')
  assert.deepEqual([await valueOf(hubAccountId), await valueOf(clearingId)], ['300.0000', '0.0000'])
  assert.deepEqual(await done(third.transferId, 'commit'), { ok: true, duplicate: true }, 'a commit after the abort changes nothing')
  const kinds = await testDb.db('journal_entry').whereIn('reference', [first.transferId, third.transferId]).orderBy('id').pluck('kind')
  assert.deepEqual(kinds, ['FUNDS_OUT_RESERVE', 'FUNDS_OUT_COMMIT', 'FUNDS_OUT_RESERVE', 'FUNDS_OUT_ABORT'])
})

test('concurrent funds out cannot together take the balance below zero', async () => {
  const attempts = await Promise.all(Array.from({ length: 5 }, async () => {
    const req = await request('100')
    return testDb.db.transaction((trx) => reserveFundsOut(trx, req))
  }))
  assert.equal(attempts.filter((r) => r.ok).length, 3, 'the 300 available cover three reservations of 100')
  assert.deepEqual(await balances(), ['0.0000', '0.0000'])
})

test('concurrent funds in and out on many accounts neither deadlock nor lose a movement', async () => {
  const accounts = await testDb.db.transaction(async (trx) => Promise.all(['many1', 'many2', 'many3', 'many4'].map(async (name) => {
    const p = await insertParticipant(trx, { name, isHub: false, createdBy: 'test' })
    return insertAccount(trx, { participantId: p.id, currency: 'USD', type: 'SETTLEMENT' })
  })))
  const move = async (accountId: number, kind: 'in' | 'out', amount = '1') => {
    const account = (await findAccountById(testDb.db, accountId))!
    const req: FundsRequest = { transferId: randomUUID(), account, hub, amount: new Decimal(amount), reason: undefined, extensionList: undefined, requestHash: 'h', actor: 'test' }
    return testDb.db.transaction((trx) => kind === 'in' ? recordFundsIn(trx, req) : reserveFundsOut(trx, req))
  }
  await Promise.all(accounts.map((id) => move(id, 'in', '2'))) // covers both funds out whatever the order
  const results = await Promise.all(accounts.flatMap((id) => [move(id, 'in'), move(id, 'in'), move(id, 'out'), move(id, 'out')]))
  assert.deepEqual(results.filter((r) => !r.ok), [])
  for (const id of accounts) {
    const a = (await findAccountById(testDb.db, id))!
    assert.deepEqual([a.value, a.reservedValue], ['-2.0000', '0.0000'])
  }
})

test('without a hub reconciliation account nothing is recorded', async () => {
  const req = { ...(await request('5')), hub: undefined }
  const result = await testDb.db.transaction((trx) => recordFundsIn(trx, req))
  assert.equal(result.ok || result.problem, 'hub-account-missing')
  assert.equal(await testDb.db('funds_movement').where({ id: req.transferId }).first(), undefined)
})
