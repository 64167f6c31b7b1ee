// What Mojaloop operator tools and testing-toolkit collections rely on from central-ledger's admin API,
// through the real admin API on MariaDB, with the ledger invariants checked after every step:
// numbers on the admin API, funds out like central-ledger's reconciliation transfers, settlement models
// and central-ledger's answers to repeated set-up calls.
import { after, afterEach, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { createTestDb, type TestDb } from '../../test/support/db.ts'
import { testAdminApp } from '../../test/support/apps.ts'
import { call, onboardDfsp, setupHub } from '../../test/support/fixtures.ts'
import { snapshot } from '../../test/support/snapshot.ts'
import { assertLedgerInvariants } from '../../ledger/invariants/ledger-invariants.ts'

let testDb: TestDb
let admin: FastifyInstance

before(async () => {
  testDb = await createTestDb('clcompat')
  admin = await testAdminApp(testDb.db)
  await setupHub(admin, 'USD')
})
afterEach(async () => assertLedgerInvariants(testDb.db))
after(async () => {
  await admin.close()
  await testDb.drop()
})

/** What the admin API answers, as far as these tests read it (numbers stay unknown where their type is the point). */
interface AccountBody { ledgerAccountType: string; currency: string; value: unknown; reservedValue: unknown; isActive: unknown }
interface LimitsBody { name: string; currency: string; limit: { type: string; value: unknown; alarmPercentage: number } }
interface SettlementModelBody { settlementModelId: number; name: string; isActive: boolean; ledgerAccountType: string; settlementAccountType: string }

const accountOf = async (name: string, type: string, currency = 'USD') =>
  (await call(admin, 'GET', `/participants/${name}/accounts`)).body.find((a: AccountBody) => a.ledgerAccountType === type && a.currency === currency)

/** The same request again changes nothing and answers exactly this (status, errorCode, errorDescription). */
async function answersExactly(method: 'POST' | 'PUT', url: string, payload: unknown, status: number, errorCode: string, errorDescription: string) {
  const before = await snapshot(testDb.db)
  const r = await call(admin, method, url, payload)
  assert.equal(r.status, status, JSON.stringify(r.body))
  assert.deepEqual(r.body, { errorInformation: { errorCode, errorDescription } })
  assert.equal(await snapshot(testDb.db), before, 'the refusal changes nothing')
}

describe('numbers on the admin API', () => {
  test('accounts, positions and limits are JSON numbers, as central-ledger answers them', async () => {
    await onboardDfsp(admin, { name: 'numfsp', ndc: '2500.5', fundsIn: '1234.56' })
    const settlement = await accountOf('numfsp', 'SETTLEMENT')
    assert.deepEqual([settlement.value, settlement.reservedValue], [-1234.56, 0])
    const position = await accountOf('numfsp', 'POSITION')
    assert.deepEqual([position.value, position.reservedValue], [0, 0])
    assert.deepEqual((await call(admin, 'GET', '/participants/numfsp/positions')).body.map((p: { value: unknown }) => p.value), [0])
    assert.equal((await call(admin, 'GET', '/participants/numfsp/positions?currency=USD')).body.value, 0)
    assert.deepEqual((await call(admin, 'GET', '/participants/numfsp/limits')).body, [{ currency: 'USD', limit: { type: 'NET_DEBIT_CAP', value: 2500.5, alarmPercentage: 10 } }])
    const hub = (await call(admin, 'GET', '/participants/Hub/accounts')).body
    assert.ok(hub.length > 0 && hub.every((a: AccountBody) => typeof a.value === 'number' && typeof a.reservedValue === 'number'))
  })

  test('GET /participants/limits lists every active participant\'s limits with numeric values, filtered by currency and type', async () => {
    await onboardDfsp(admin, { name: 'limfsp', ndc: '700' })
    const all = (await call(admin, 'GET', '/participants/limits?currency=USD&type=NET_DEBIT_CAP')).body
    assert.deepEqual(all.find((l: LimitsBody) => l.name === 'limfsp'), { name: 'limfsp', currency: 'USD', limit: { type: 'NET_DEBIT_CAP', value: 700, alarmPercentage: 10 } })
    assert.ok(all.every((l: LimitsBody) => typeof l.limit.value === 'number'))
    assert.deepEqual((await call(admin, 'GET', '/participants/limits?currency=EUR')).body, [])
    await call(admin, 'PUT', '/participants/limfsp', { isActive: false })
    assert.equal((await call(admin, 'GET', '/participants/limits')).body.find((l: LimitsBody) => l.name === 'limfsp'), undefined, 'inactive participants are left out')
    await call(admin, 'PUT', '/participants/limfsp', { isActive: true })
  })

  test('limits, initial position and funds amounts are accepted as JSON numbers or numeric strings, as central-ledger\'s Joi.number() accepts them', async () => {
    await call(admin, 'POST', '/participants', { name: 'inputfsp', currency: 'USD' })
    const initial = await call(admin, 'POST', '/participants/inputfsp/initialPositionAndLimits', { currency: 'USD', limit: { type: 'NET_DEBIT_CAP', value: '1000.25' } })
    assert.equal(initial.status, 201, 'initialPosition is optional and the limit may be a numeric string')
    const put = await call(admin, 'PUT', '/participants/inputfsp/limits', { currency: 'USD', limit: { type: 'NET_DEBIT_CAP', value: 2000, alarmPercentage: 15 } })
    assert.deepEqual(put.body, { currency: 'USD', limit: { type: 'NET_DEBIT_CAP', value: 2000, alarmPercentage: 15 } })
    const { id } = await accountOf('inputfsp', 'SETTLEMENT')
    const fundsIn = await call(admin, 'POST', `/participants/inputfsp/accounts/${id}`, { transferId: randomUUID(), externalReference: 'x', action: 'recordFundsIn', reason: 'r', amount: { amount: 10, currency: 'USD' } })
    assert.equal(fundsIn.status, 202, 'the funds amount may be a JSON number, as testing-toolkit collections send it')
    assert.equal((await accountOf('inputfsp', 'SETTLEMENT')).value, -10)
  })
})

describe('funds out, as central-ledger moves it', () => {
  test('recordFundsOutPrepareReserve moves the settlement account\'s value at once and not the hub reconciliation account; recordFundsOutCommit then moves only the hub reconciliation account', async () => {
    const { settlementAccountId: id } = await onboardDfsp(admin, { name: 'outcfsp', fundsIn: '1000' })
    const hubBefore = (await accountOf('Hub', 'HUB_RECONCILIATION')).value
    const transferId = randomUUID()
    const reserve = { transferId, externalReference: 'payout-1', action: 'recordFundsOutPrepareReserve', reason: 'payout', amount: { amount: '10', currency: 'USD' } }
    assert.equal((await call(admin, 'POST', `/participants/outcfsp/accounts/${id}`, reserve)).status, 202)
    const reserved = await accountOf('outcfsp', 'SETTLEMENT')
    assert.deepEqual([reserved.value, reserved.reservedValue], [-990, 0], 'value moves at reserve; reservedValue stays 0')
    assert.equal((await accountOf('Hub', 'HUB_RECONCILIATION')).value, hubBefore, 'the hub reconciliation stays the same at reserve')
    await assertLedgerInvariants(testDb.db)

    const commit = await call(admin, 'PUT', `/participants/outcfsp/accounts/${id}/transfers/${transferId}`, { action: 'recordFundsOutCommit', reason: 'paid' })
    assert.equal(commit.status, 202)
    assert.equal((await accountOf('outcfsp', 'SETTLEMENT')).value, -990, 'the settlement value does not change at commit')
    assert.equal((await accountOf('Hub', 'HUB_RECONCILIATION')).value, hubBefore - 10, 'the hub reconciliation moves by the amount at commit')
    const movement = await testDb.db('funds_movement').where({ id: transferId }).first()
    assert.deepEqual([movement.direction, movement.state, movement.account_id], ['OUT', 'COMMITTED', id], 'the funds out stays readable by its transfer id')
    const audit = await testDb.db('audit_log').where({ target: `outcfsp/${id}/${transferId}` }).pluck('action')
    assert.deepEqual(audit, ['funds.recordFundsOutCommit'])
  })

  test('recordFundsOutAbort moves the settlement account\'s value back and leaves the hub reconciliation account', async () => {
    const { settlementAccountId: id } = await onboardDfsp(admin, { name: 'outafsp', fundsIn: '500' })
    const hubBefore = (await accountOf('Hub', 'HUB_RECONCILIATION')).value
    const transferId = randomUUID()
    await call(admin, 'POST', `/participants/outafsp/accounts/${id}`, { transferId, externalReference: 'x', action: 'recordFundsOutPrepareReserve', reason: 'payout', amount: { amount: '200.5', currency: 'USD' } })
    assert.equal((await accountOf('outafsp', 'SETTLEMENT')).value, -299.5)
    await assertLedgerInvariants(testDb.db)
    assert.equal((await call(admin, 'PUT', `/participants/outafsp/accounts/${id}/transfers/${transferId}`, { action: 'recordFundsOutAbort', reason: 'cancelled' })).status, 202)
    const settlement = await accountOf('outafsp', 'SETTLEMENT')
    assert.deepEqual([settlement.value, settlement.reservedValue], [-500, 0])
    assert.equal((await accountOf('Hub', 'HUB_RECONCILIATION')).value, hubBefore)
    assert.equal((await testDb.db('funds_movement').where({ id: transferId }).first()).state, 'ABORTED')
  })

  test('a second recordFundsOutCommit or recordFundsOutAbort of the same transfer answers 202 and changes nothing, as central-ledger ignores a funds out no longer RESERVED', async () => {
    const { settlementAccountId: id } = await onboardDfsp(admin, { name: 'outdfsp', fundsIn: '300' })
    const out = async (action: 'recordFundsOutCommit' | 'recordFundsOutAbort') => {
      const transferId = randomUUID()
      await call(admin, 'POST', `/participants/outdfsp/accounts/${id}`, { transferId, externalReference: 'x', action: 'recordFundsOutPrepareReserve', reason: 'r', amount: { amount: '100', currency: 'USD' } })
      assert.equal((await call(admin, 'PUT', `/participants/outdfsp/accounts/${id}/transfers/${transferId}`, { action, reason: 'first' })).status, 202)
      return transferId
    }
    const committed = await out('recordFundsOutCommit')
    const aborted = await out('recordFundsOutAbort')
    const before = await snapshot(testDb.db)
    for (const [transferId, action] of [[committed, 'recordFundsOutCommit'], [committed, 'recordFundsOutAbort'], [aborted, 'recordFundsOutAbort'], [aborted, 'recordFundsOutCommit']]) {
      const again = await call(admin, 'PUT', `/participants/outdfsp/accounts/${id}/transfers/${transferId}`, { action, reason: 'again' })
      assert.equal(again.status, 202, `${action} of a ${transferId === committed ? 'committed' : 'aborted'} funds out`)
    }
    assert.equal(await snapshot(testDb.db), before, 'no balance, state, journal or audit change')
    assert.equal((await accountOf('outdfsp', 'SETTLEMENT')).value, -200)
  })
})

describe('settlement models and repeated set-up', () => {
  const interchangeFee = {
    name: 'INTERCHANGE_FEE_USD', settlementGranularity: 'NET', settlementInterchange: 'MULTILATERAL', settlementDelay: 'DEFERRED', currency: 'USD',
    requireLiquidityCheck: false, ledgerAccountType: 'INTERCHANGE_FEE', settlementAccountType: 'INTERCHANGE_FEE_SETTLEMENT', autoPositionReset: false,
  }
  const types = async (name: string, currency: string) =>
    (await call(admin, 'GET', `/participants/${name}`)).body.accounts.filter((a: AccountBody) => a.currency === currency).map((a: AccountBody) => a.ledgerAccountType).sort()

  test('an INTERCHANGE_FEE model is accepted (201) and opens INTERCHANGE_FEE and INTERCHANGE_FEE_SETTLEMENT accounts for the participants holding its currency, and for participants created later', async () => {
    await onboardDfsp(admin, { name: 'feeusd' })
    await call(admin, 'POST', '/participants', { name: 'feeeur', currency: 'EUR' })
    const created = await call(admin, 'POST', '/settlementModels', interchangeFee)
    assert.equal(created.status, 201, JSON.stringify(created.body))
    assert.deepEqual(await types('feeusd', 'USD'), ['INTERCHANGE_FEE', 'INTERCHANGE_FEE_SETTLEMENT', 'POSITION', 'SETTLEMENT'])
    assert.deepEqual(await types('feeeur', 'USD'), [], 'a participant without the currency gets no accounts in it')
    assert.deepEqual(await types('Hub', 'USD'), ['HUB_FUNDS_OUT_CLEARING', 'HUB_MULTILATERAL_SETTLEMENT', 'HUB_RECONCILIATION'], 'the hub gets no participant accounts')
    const fee = await accountOf('feeusd', 'INTERCHANGE_FEE')
    assert.deepEqual([fee.value, fee.reservedValue, fee.isActive], [0, 0, 1])

    const later = await call(admin, 'POST', '/participants', { name: 'feelater', currency: 'USD' })
    assert.deepEqual(later.body.accounts.map((a: AccountBody) => a.ledgerAccountType).sort(), ['INTERCHANGE_FEE', 'INTERCHANGE_FEE_SETTLEMENT', 'POSITION', 'SETTLEMENT'])
    const listed = (await call(admin, 'GET', '/settlementModels')).body.find((m: SettlementModelBody) => m.name === 'INTERCHANGE_FEE_USD')
    assert.deepEqual([listed.ledgerAccountType, listed.settlementAccountType], ['INTERCHANGE_FEE', 'INTERCHANGE_FEE_SETTLEMENT'])
    assert.equal((await testDb.db('audit_log').where({ action: 'settlementModel.create', target: 'INTERCHANGE_FEE_USD' })).length, 1)
  })

  test('re-creating an existing settlement model answers 400, 3000 "Settlement Model already exists", as central-ledger does', async () => {
    const existing = (await call(admin, 'GET', '/settlementModels')).body.find((m: SettlementModelBody) => m.name === 'DEFERRED_NET_USD')
    const { settlementModelId: _id, isActive: _active, ...again } = existing
    await answersExactly('POST', '/settlementModels', again, 400, '3000', 'Generic client error - Settlement Model already exists')
  })

  test('a second initialPositionAndLimits answers 500, 2001 "Participant Limit or Initial Position already set", as central-ledger does', async () => {
    await onboardDfsp(admin, { name: 'twicefsp', ndc: '1000' })
    await answersExactly('POST', '/participants/twicefsp/initialPositionAndLimits', { currency: 'USD', limit: { type: 'NET_DEBIT_CAP', value: 5000 }, initialPosition: 0 },
      500, '2001', 'Internal server error - Participant Limit or Initial Position already set')
    assert.equal((await call(admin, 'GET', '/participants/twicefsp/limits')).body[0].limit.value, 1000, 'the first limit stands')
  })
})
