// The admin API in production: every route needs an operator's bearer token and a role that the route's
// rule allows; /health and /metrics stay open; every change is attributed to the token's subject.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import type { FastifyInstance, InjectOptions } from 'fastify'
import { createTestDb, type TestDb } from '../../test/support/db.ts'
import { testAdminApp } from '../../test/support/apps.ts'
import { call, onboardDfsp, setupHub } from '../../test/support/fixtures.ts'
import { commitTransfer } from '../../test/support/committed-transfers.ts'
import { snapshot } from '../../test/support/snapshot.ts'
import { bearer, operatorKeys, productionAdminApp, type OperatorKeys } from '../../test/support/operators.ts'
import { generateOperatorKey } from './local-keys.ts'
import { ROUTE_ACCESS, accessFor } from './route-access.ts'
import { assertLedgerInvariants } from '../../ledger/invariants/ledger-invariants.ts'

let testDb: TestDb
let keys: OperatorKeys
let dev: FastifyInstance
let admin: FastifyInstance
let settlementAccountId: number

before(async () => {
  testDb = await createTestDb('operator_auth')
  keys = await operatorKeys()
  dev = await testAdminApp(testDb.db)
  admin = await productionAdminApp(testDb.db, keys)
  await setupHub(dev, 'USD')
  settlementAccountId = (await onboardDfsp(dev, { name: 'bank-a', ndc: '10000', fundsIn: '5000', endpointBase: 'http://127.0.0.1:9' })).settlementAccountId
  await onboardDfsp(dev, { name: 'wallet-b', ndc: '10000', fundsIn: '5000' })
  await commitTransfer(testDb.db, 'bank-a', 'wallet-b', '10')
})
after(async () => {
  await admin.close()
  await dev.close()
  await testDb.drop()
})

const openWindowId = async () => (await call(dev, 'GET', '/v2/settlementWindows?state=OPEN')).body[0].settlementWindowId as number
const funds = (action: 'recordFundsIn' | 'recordFundsOutPrepareReserve', amount: string) => ({
  transferId: randomUUID(), externalReference: 'test', action, reason: 'test', amount: { amount, currency: 'USD' },
})
async function send(request: InjectOptions, token?: string) {
  const response = await admin.inject({ ...request, headers: { ...request.headers, ...(token ? bearer(token) : {}) } })
  return { status: response.statusCode, body: response.headers['content-type']?.startsWith('application/json') ? response.json() : response.body }
}

test('without credentials, the attacks of issue 10 are refused with 401 and errorInformation 3000, and change nothing', async () => {
  const before = await snapshot(testDb.db)
  const attacks: InjectOptions[] = [
    { method: 'POST', url: `/participants/bank-a/accounts/${settlementAccountId}`, payload: funds('recordFundsIn', '1000000') },
    { method: 'POST', url: `/participants/bank-a/accounts/${settlementAccountId}`, payload: funds('recordFundsOutPrepareReserve', '5000') },
    { method: 'PUT', url: '/participants/bank-a/limits', payload: { currency: 'USD', limit: { type: 'NET_DEBIT_CAP', value: 99999999 } } },
    { method: 'PUT', url: '/participants/bank-a', payload: { isActive: false } },
    { method: 'POST', url: '/participants/bank-a/endpoints', payload: { type: 'FSPIOP_CALLBACK_URL_TRANSFER_POST', value: 'file:///etc/passwd' } },
    { method: 'POST', url: `/v2/settlementWindows/${await openWindowId()}`, payload: { state: 'CLOSED', reason: 'attack' } },
    { method: 'GET', url: '/participants' },
    { method: 'GET', url: '/audit' },
  ]
  for (const attack of attacks) {
    for (const headers of [{}, { 'x-agora-operator': 'admin' }, { authorization: 'Basic YWRtaW46YWRtaW4=' }, { authorization: 'Bearer not-a-jwt' }]) {
      const r = await send({ ...attack, headers })
      assert.equal(r.status, 401, `${attack.method} ${attack.url} ${JSON.stringify(headers)}`)
      assert.equal(r.body.errorInformation.errorCode, '3000')
    }
  }
  assert.equal(await snapshot(testDb.db), before)
})

test('/health and /metrics stay open for probes', async () => {
  assert.equal((await send({ method: 'GET', url: '/health' })).status, 200)
  assert.equal((await send({ method: 'GET', url: '/metrics' })).status, 200)
})

test('a role outside the route\'s rule is refused with 403, before the body is even read; the rule\'s own role gets through', async () => {
  const now = Math.floor(Date.now() / 1000)
  const token = (roles: Parameters<OperatorKeys['token']>[1]) => keys.sign({ sub: `user-${roles.join('-') || 'none'}`, roles: [...roles], iss: 'agora', aud: 'agora-admin', exp: now + 600 })
  const cases: { route: InjectOptions; refused: Parameters<OperatorKeys['token']>[1][]; allowed: Parameters<OperatorKeys['token']>[1]; status: number }[] = [
    { route: { method: 'PUT', url: '/participants/wallet-b/limits', payload: { currency: 'USD', limit: { type: 'NET_DEBIT_CAP', value: 20000 } } }, refused: [['regulator'], ['finance'], ['auditor']], allowed: ['operator'], status: 200 },
    { route: { method: 'POST', url: `/v2/settlementWindows/${await openWindowId()}`, payload: { state: 'CLOSED', reason: 'day end' } }, refused: [['operator'], ['regulator'], ['auditor']], allowed: ['finance'], status: 200 },
    { route: { method: 'GET', url: '/reports/positions' }, refused: [[]], allowed: ['regulator'], status: 200 },
    { route: { method: 'GET', url: '/audit' }, refused: [['operator'], ['finance']], allowed: ['auditor'], status: 200 },
  ]
  for (const { route, refused, allowed, status } of cases) {
    const before = await snapshot(testDb.db)
    for (const roles of refused) {
      const r = await send({ ...route, payload: route.payload === undefined ? undefined : { nonsense: true } }, await token(roles))
      assert.equal(r.status, 403, `${route.method} ${route.url} as ${roles.join(',') || 'no role'}`)
      assert.equal(r.body.errorInformation.errorCode, '3000')
      assert.match(r.body.errorInformation.errorDescription, /needs the role/)
    }
    assert.equal(await snapshot(testDb.db), before, 'nothing changed')
    assert.equal((await send(route, await token(allowed))).status, status, `${route.method} ${route.url} as ${allowed.join(',')}`)
  }
})

test('funds in and out are for the operator and finance roles, and the ledger stays consistent', async () => {
  const url = `/participants/bank-a/accounts/${settlementAccountId}`
  assert.equal((await send({ method: 'POST', url, payload: funds('recordFundsIn', '100') }, await keys.token('fiona', ['finance']))).status, 202)
  assert.equal((await send({ method: 'POST', url, payload: funds('recordFundsIn', '100') }, await keys.token('olga', ['operator']))).status, 202)
  assert.equal((await send({ method: 'POST', url, payload: funds('recordFundsIn', '100') }, await keys.token('rita', ['regulator']))).status, 403)
  const accounts = (await send({ method: 'GET', url: '/participants/bank-a/accounts' }, await keys.token('rita', ['regulator']))).body
  assert.equal(accounts.find((a: { ledgerAccountType: string }) => a.ledgerAccountType === 'SETTLEMENT').value, -5200)
  await assertLedgerInvariants(testDb.db)
})

test('every change is attributed to the token\'s subject, whatever x-agora-operator claims', async () => {
  const r = await send({
    method: 'PUT', url: '/participants/bank-a/limits', headers: { 'x-agora-operator': 'mallory' },
    payload: { currency: 'USD', limit: { type: 'NET_DEBIT_CAP', value: 12345 } },
  }, await keys.token('olga@scheme.example', ['operator']))
  assert.equal(r.status, 200)
  const audit = await testDb.db('audit_log').where({ action: 'participant.limits.update', target: 'bank-a' }).orderBy('id', 'desc').first()
  assert.equal(audit.actor, 'olga@scheme.example')
  assert.equal((typeof audit.detail === 'string' ? JSON.parse(audit.detail) : audit.detail).limit.value, 12345)
  const rows = (await send({ method: 'GET', url: '/audit?actor=olga@scheme.example' }, await keys.token('audrey', ['auditor']))).body.entries
  assert.ok(rows.length >= 1 && rows.every((row: { actor: string }) => row.actor === 'olga@scheme.example'))
  assert.equal((await testDb.db('audit_log').where({ actor: 'mallory' })).length, 0)
})

test('expired, forged, wrong-audience and untrusted-issuer tokens are refused with 401', async () => {
  const now = Math.floor(Date.now() / 1000)
  const sign = (claims: Record<string, unknown>, key = keys.key) => keys.sign({ roles: ['operator'], ...claims }, key)
  const base = { sub: 'olga', iss: 'agora', aud: 'agora-admin', exp: now + 600 }
  const stranger = await generateOperatorKey('ES256')
  const tokens: [string, string][] = [
    ['expired', await sign({ ...base, exp: now - 60 })],
    ['forged signature', await sign(base, stranger)],
    ['wrong audience', await sign({ ...base, aud: 'another-switch' })],
    ['untrusted issuer', await sign({ ...base, iss: 'https://evil.example' })],
  ]
  for (const [what, token] of tokens) {
    const r = await send({ method: 'GET', url: '/participants' }, token)
    assert.equal(r.status, 401, what)
    assert.equal(r.body.errorInformation.errorCode, '3000', what)
  }
  assert.equal((await send({ method: 'GET', url: '/participants' }, await sign(base))).status, 200, 'the same claims, properly signed')
})

test('every registered admin route has an access rule, and every rule a route', () => {
  const registered = new Set(admin.adminRouteKeys.map((k) => k.replace(/^HEAD /, 'GET ')))
  const unruled = [...registered].filter((key) => accessFor(key.split(' ')[0]!, key.slice(key.indexOf(' ') + 1)) === undefined)
  assert.deepEqual(unruled, [], 'routes without a rule')
  assert.deepEqual(Object.keys(ROUTE_ACCESS).filter((key) => !registered.has(key)), [], 'rules without a route')
  assert.ok(registered.has('GET /health') && registered.has('POST /ui/api/admin/v2/settlements'), 'the probes and the web view are counted')
})

test('in production, an admin app where no operator could authenticate refuses to start', async () => {
  await assert.rejects(
    testAdminApp(testDb.db, { config: { env: 'production', operators: { ...keys.operators, jwksFile: undefined }, web: { users: [], sessionSecret: undefined } } }),
    /no operator can authenticate/)
})

test('development mode leaves the admin API open, the actor named by x-agora-operator', async () => {
  const r = await dev.inject({ method: 'PUT', url: '/participants/wallet-b/limits', headers: { 'x-agora-operator': 'laptop-dev' }, payload: { currency: 'USD', limit: { type: 'NET_DEBIT_CAP', value: 30000 } } })
  assert.equal(r.statusCode, 200)
  assert.ok(await testDb.db('audit_log').where({ actor: 'laptop-dev', action: 'participant.limits.update' }).first())
})
