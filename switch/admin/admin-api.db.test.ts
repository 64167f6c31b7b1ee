// The admin API on the real MariaDB: Mojaloop-compatible onboarding, limits, endpoints and funds, with
// the ledger invariants after each test and "nothing changed" after each refusal.
import { after, afterEach, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { createTestDb, type TestDb } from '../../test/support/db.ts'
import { testAdminApp } from '../../test/support/apps.ts'
import { call, onboardDfsp, setupHub } from '../../test/support/fixtures.ts'
import { snapshot } from '../../test/support/snapshot.ts'
import { assertLedgerInvariants } from '../../ledger/invariants/ledger-invariants.ts'

let testDb: TestDb
let admin: FastifyInstance

before(async () => {
  testDb = await createTestDb('admin')
  admin = await testAdminApp(testDb.db)
  await setupHub(admin, 'USD')
})
afterEach(async () => assertLedgerInvariants(testDb.db))
after(async () => {
  await admin.close()
  await testDb.drop()
})

async function refused(method: 'GET' | 'POST' | 'PUT', url: string, payload: unknown, status: number, code: string) {
  const before = await snapshot(testDb.db)
  const r = await call(admin, method, url, payload)
  assert.equal(r.status, status, JSON.stringify(r.body))
  assert.equal(r.body.errorInformation.errorCode, code, r.body.errorInformation.errorDescription)
  assert.ok(r.body.errorInformation.errorDescription.length > 0)
  assert.equal(await snapshot(testDb.db), before, 'a refused request changes nothing')
  return r.body.errorInformation.errorDescription as string
}

/** An account as the admin API answers it, as far as these tests read it. */
interface AccountBody { id: number; ledgerAccountType: string; value: number; reservedValue: number }

describe('onboarding', () => {
  test('a participant created with a currency gets POSITION and SETTLEMENT accounts', async () => {
    const r = await call(admin, 'POST', '/participants', { name: 'dfspa', currency: 'USD' })
    assert.equal(r.status, 201)
    assert.equal(r.body.name, 'dfspa')
    assert.equal(r.body.isActive, 1)
    assert.deepEqual(r.body.accounts.map((a: AccountBody) => a.ledgerAccountType).sort(), ['POSITION', 'SETTLEMENT'])
    const list = await call(admin, 'GET', '/participants')
    assert.ok(list.body.some((p: { name: string }) => p.name === 'dfspa'))
    const one = await call(admin, 'GET', '/participants/dfspa')
    assert.equal(one.body.accounts.length, 2)
  })

  test('a second currency adds accounts; the same one again is refused', async () => {
    await call(admin, 'POST', '/participants', { name: 'dfspb', currency: 'USD' })
    assert.equal((await call(admin, 'POST', '/participants', { name: 'dfspb', currency: 'EUR' })).status, 201)
    assert.equal((await call(admin, 'GET', '/participants/dfspb')).body.accounts.length, 4)
    await refused('POST', '/participants', { name: 'dfspb', currency: 'USD' }, 400, '3000')
  })

  test('deactivating and reactivating a participant is recorded in the audit log', async () => {
    await call(admin, 'POST', '/participants', { name: 'dfspc', currency: 'USD' })
    assert.equal((await call(admin, 'PUT', '/participants/dfspc', { isActive: false })).body.isActive, 0)
    assert.equal((await call(admin, 'PUT', '/participants/dfspc', { isActive: true })).body.isActive, 1)
    const audit = await testDb.db('audit_log').where({ target: 'dfspc', action: 'participant.update' })
    assert.equal(audit.length, 2)
    assert.equal(audit[0].actor, 'test-operator')
  })

  test('concurrent creations: different names all succeed, the same name and currency once', async () => {
    const create = (name: string) => call(admin, 'POST', '/participants', { name, currency: 'USD' })
    const distinct = await Promise.all(['dfspp1', 'dfspp2', 'dfspp3', 'dfspp4'].map(create))
    assert.deepEqual(distinct.map((r) => r.status), [201, 201, 201, 201])
    const same = await Promise.all([create('dfspsame'), create('dfspsame'), create('dfspsame')])
    assert.deepEqual(same.map((r) => r.status).sort(), [201, 400, 400])
    assert.ok(same.filter((r) => r.status === 400).every((r) => r.body.errorInformation.errorCode === '3000'))
    assert.equal((await call(admin, 'GET', '/participants/dfspsame')).body.accounts.length, 2)
  })

  test('bad participants are refused with Mojaloop errors', async () => {
    await refused('POST', '/participants', { name: 'x', currency: 'USD' }, 400, '3100')
    await refused('POST', '/participants', { name: 'dfspz', currency: 'ZZZ' }, 400, '3100')
    await refused('POST', '/participants', { name: 'dfspz' }, 400, '3102')
    await refused('POST', '/participants', { name: 'Hub', currency: 'USD' }, 400, '3000')
    await refused('GET', '/participants/nobody', undefined, 404, '3200')
    const r = await admin.inject({ method: 'POST', url: '/participants', headers: { 'content-type': 'application/json' }, payload: '{"name":' })
    assert.equal(r.statusCode, 400)
    assert.equal(r.json().errorInformation.errorCode, '3101')
  })
})

describe('limits, positions and endpoints', () => {
  test('initial position and limits, then a limit change', async () => {
    await call(admin, 'POST', '/participants', { name: 'dfspl', currency: 'USD' })
    const initial = await call(admin, 'POST', '/participants/dfspl/initialPositionAndLimits', { currency: 'USD', limit: { type: 'NET_DEBIT_CAP', value: 1000000 }, initialPosition: 0 })
    assert.equal(initial.status, 201)
    assert.deepEqual((await call(admin, 'GET', '/participants/dfspl/limits')).body, [{ currency: 'USD', limit: { type: 'NET_DEBIT_CAP', value: 1000000, alarmPercentage: 10 } }])
    const changed = await call(admin, 'PUT', '/participants/dfspl/limits', { currency: 'USD', limit: { type: 'NET_DEBIT_CAP', value: '2500.5', alarmPercentage: 20 } })
    assert.deepEqual(changed.body, { currency: 'USD', limit: { type: 'NET_DEBIT_CAP', value: 2500.5, alarmPercentage: 20 } })
    assert.deepEqual((await call(admin, 'GET', '/participants/dfspl/positions')).body.map((p: { currency: string; value: number }) => [p.currency, p.value]), [['USD', 0]])
    assert.equal((await call(admin, 'GET', '/participants/dfspl/positions?currency=USD')).body.value, 0)
  })

  test('bad limits are refused and change nothing', async () => {
    await refused('POST', '/participants/dfspl/initialPositionAndLimits', { currency: 'USD', limit: { type: 'NET_DEBIT_CAP', value: 5 }, initialPosition: 0 }, 500, '2001')
    await refused('PUT', '/participants/dfspl/limits', { currency: 'USD', limit: { type: 'NET_DEBIT_CAP', value: -5 } }, 400, '3100')
    await refused('PUT', '/participants/dfspl/limits', { currency: 'USD', limit: { type: 'NET_DEBIT_CAP', value: '1.23456' } }, 400, '3100')
    await refused('PUT', '/participants/dfspl/limits', { currency: 'EUR', limit: { type: 'NET_DEBIT_CAP', value: 5 } }, 400, '3000')
    await refused('PUT', '/participants/nobody/limits', { currency: 'USD', limit: { type: 'NET_DEBIT_CAP', value: 5 } }, 404, '3200')
  })

  test('endpoints are URL templates, set and read back', async () => {
    await call(admin, 'POST', '/participants', { name: 'dfspe', currency: 'USD' })
    const url = 'http://dfspe.local/transfers/{{transferId}}'
    assert.equal((await call(admin, 'POST', '/participants/dfspe/endpoints', { type: 'FSPIOP_CALLBACK_URL_TRANSFER_PUT', value: url })).status, 201)
    assert.deepEqual((await call(admin, 'GET', '/participants/dfspe/endpoints')).body, [{ type: 'FSPIOP_CALLBACK_URL_TRANSFER_PUT', value: url }])
    await refused('POST', '/participants/dfspe/endpoints', { type: 'FSPIOP_CALLBACK_URL_TRANSFER_PUT' }, 400, '3102')
  })

  test('an endpoint must be an http: or https: URL: file:, ftp:, javascript: are refused with 3100 and the reason, central-ledger\'s e-mail endpoints are not URLs', async () => {
    await call(admin, 'POST', '/participants', { name: 'dfspu', currency: 'USD' })
    for (const value of ['file:///etc/passwd', 'ftp://dfspu.local/transfers/{{transferId}}', 'javascript:alert(1)', 'dfspu.local/transfers']) {
      const description = await refused('POST', '/participants/dfspu/endpoints', { type: 'FSPIOP_CALLBACK_URL_TRANSFER_PUT', value }, 400, '3100')
      assert.match(description, /^Generic validation error - endpoint .*it must be an http: or https: URL$/, value)
    }
    const description = await refused('POST', '/participants/dfspu/endpoints', { type: 'FSPIOP_CALLBACK_URL_TRANSFER_ERROR', value: 'file:///tmp/x' }, 400, '3100')
    assert.equal(description, 'Generic validation error - endpoint scheme file: is not allowed; it must be an http: or https: URL')
    assert.equal((await call(admin, 'POST', '/participants/dfspu/endpoints', { type: 'FSPIOP_CALLBACK_URL_TRANSFER_PUT', value: 'https://dfspu.local/transfers/{{transferId}}' })).status, 201)
    assert.equal((await call(admin, 'POST', '/participants/dfspu/endpoints', { type: 'NET_DEBIT_CAP_THRESHOLD_BREACH_EMAIL', value: 'ops@dfspu.example' })).status, 201)
  })
})

describe('funds in and out', () => {
  test('funds in credits the settlement account against the hub reconciliation account', async () => {
    const { settlementAccountId } = await onboardDfsp(admin, { name: 'dfspf', ndc: '1000', fundsIn: '5000' })
    const accounts = (await call(admin, 'GET', '/participants/dfspf/accounts')).body
    assert.equal(accounts.find((a: AccountBody) => a.id === settlementAccountId).value, -5000)
    const entry = await testDb.db('journal_entry').where({ kind: 'FUNDS_IN' }).orderBy('id', 'desc').first()
    assert.equal(entry.currency, 'USD')
  })

  test('funds out is reserved out of the settlement value, then committed or aborted, and never below zero', async () => {
    const { settlementAccountId: id } = await onboardDfsp(admin, { name: 'dfspo', fundsIn: '1000' })
    const out = (transferId: string, amount: string) => ({ transferId, action: 'recordFundsOutPrepareReserve', reason: 'payout', amount: { amount, currency: 'USD' } })
    const a = crypto.randomUUID()
    const b = crypto.randomUUID()
    assert.equal((await call(admin, 'POST', `/participants/dfspo/accounts/${id}`, out(a, '600'))).status, 202)
    await refused('POST', `/participants/dfspo/accounts/${id}`, out(b, '400.01'), 400, '4001')
    assert.equal((await call(admin, 'POST', `/participants/dfspo/accounts/${id}`, out(b, '400'))).status, 202)
    const settlement = () => call(admin, 'GET', '/participants/dfspo/accounts').then((r) => r.body.find((x: AccountBody) => x.id === id))
    assert.deepEqual([(await settlement()).value, (await settlement()).reservedValue], [0, 0])
    assert.equal((await call(admin, 'PUT', `/participants/dfspo/accounts/${id}/transfers/${a}`, { action: 'recordFundsOutCommit', reason: 'paid' })).status, 202)
    assert.equal((await call(admin, 'PUT', `/participants/dfspo/accounts/${id}/transfers/${b}`, { action: 'recordFundsOutAbort', reason: 'cancelled' })).status, 202)
    assert.deepEqual([(await settlement()).value, (await settlement()).reservedValue], [-400, 0])
    const before = await snapshot(testDb.db)
    assert.equal((await call(admin, 'PUT', `/participants/dfspo/accounts/${id}/transfers/${b}`, { action: 'recordFundsOutCommit' })).status, 202)
    assert.equal(await snapshot(testDb.db), before, 'a commit after the abort changes nothing')
  })

  test('a repeated funds transfer id is idempotent; with a different body it is refused', async () => {
    const { settlementAccountId: id } = await onboardDfsp(admin, { name: 'dfspd' })
    const body = { transferId: crypto.randomUUID(), action: 'recordFundsIn', reason: 'deposit', amount: { amount: '100', currency: 'USD' } }
    assert.equal((await call(admin, 'POST', `/participants/dfspd/accounts/${id}`, body)).status, 202)
    const before = await snapshot(testDb.db)
    assert.equal((await call(admin, 'POST', `/participants/dfspd/accounts/${id}`, body)).status, 202)
    assert.equal(await snapshot(testDb.db), before, 'a duplicate has no effect')
    await refused('POST', `/participants/dfspd/accounts/${id}`, { ...body, amount: { amount: '200', currency: 'USD' } }, 400, '3106')
  })

  test('concurrent funds requests on several DFSPs all succeed against the one hub account', async () => {
    const ids = await Promise.all(['dfspc1', 'dfspc2', 'dfspc3'].map(async (name) => [name, (await onboardDfsp(admin, { name })).settlementAccountId] as const))
    const fundsIn = (name: string, id: number) => call(admin, 'POST', `/participants/${name}/accounts/${id}`, { transferId: crypto.randomUUID(), action: 'recordFundsIn', reason: 'c', amount: { amount: '10', currency: 'USD' } })
    const statuses = await Promise.all(ids.flatMap(([name, id]) => [fundsIn(name, id), fundsIn(name, id), fundsIn(name, id)]))
    assert.deepEqual(statuses.map((r) => r.status), Array(9).fill(202))
  })

  test('bad funds requests are refused and change nothing', async () => {
    const { settlementAccountId: id, positionAccountId } = await onboardDfsp(admin, { name: 'dfspx', fundsIn: '100' })
    const body = (amount: string, currency = 'USD') => ({ transferId: crypto.randomUUID(), action: 'recordFundsIn', reason: 'x', amount: { amount, currency } })
    await refused('POST', `/participants/dfspx/accounts/${id}`, body('-5'), 400, '3100')
    await refused('POST', `/participants/dfspx/accounts/${id}`, body('abc'), 400, '3100')
    await refused('POST', `/participants/dfspx/accounts/${id}`, body('1.001'), 400, '3100')
    await refused('POST', `/participants/dfspx/accounts/${id}`, body('5', 'EUR'), 400, '3000')
    await refused('POST', `/participants/dfspx/accounts/${positionAccountId}`, body('5'), 400, '3000')
    await refused('POST', `/participants/nobody/accounts/${id}`, body('5'), 404, '3200')
    await refused('POST', `/participants/dfspa/accounts/${id}`, body('5'), 404, '3200')
    await refused('PUT', `/participants/dfspx/accounts/${id}/transfers/${crypto.randomUUID()}`, { action: 'recordFundsOutCommit' }, 404, '3208')
  })
})

describe('hub and settlement models', () => {
  test('hub accounts are created once per type and currency', async () => {
    await refused('POST', '/participants/Hub/accounts', { type: 'HUB_RECONCILIATION', currency: 'USD' }, 400, '3000')
    await refused('POST', '/participants/Hub/accounts', { type: 'POSITION', currency: 'USD' }, 400, '3100')
    await refused('POST', '/participants/dfspa/accounts', { type: 'HUB_RECONCILIATION', currency: 'USD' }, 400, '3000')
    assert.equal((await call(admin, 'POST', '/participants/Hub/accounts', { type: 'HUB_RECONCILIATION', currency: 'EUR' })).status, 201)
  })

  test('settlement models are listed and a clashing one is refused', async () => {
    const models = (await call(admin, 'GET', '/settlementModels')).body
    assert.equal(models[0].name, 'DEFERRED_NET_USD')
    await refused('POST', '/settlementModels', { ...models[0], name: 'OTHER' }, 400, '3000')
    await refused('POST', '/settlementModels', { ...models[0], name: 'GROSS_BAD', settlementGranularity: 'GROSS' }, 400, '3100')
  })
})
