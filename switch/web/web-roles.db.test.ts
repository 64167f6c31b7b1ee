// The web view honours the same identities and roles as the admin API: a password session, a session
// opened with a token and a bearer token all go through the one route table.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { createTestDb, type TestDb } from '../../test/support/db.ts'
import { testAdminApp } from '../../test/support/apps.ts'
import { call, onboardDfsp, setupHub } from '../../test/support/fixtures.ts'
import { commitTransfer } from '../../test/support/committed-transfers.ts'
import { bearer, operatorKeys, productionAdminApp, type OperatorKeys } from '../../test/support/operators.ts'
import { hashPassword } from './passwords.ts'
import { assertLedgerInvariants } from '../../ledger/invariants/ledger-invariants.ts'
import { WEB_ACTIONS } from './web-actions.ts'

let testDb: TestDb
let keys: OperatorKeys
let dev: FastifyInstance
let admin: FastifyInstance

const users = ['rita:regulator', 'olga:operator', 'fiona:finance'].map((entry) => {
  const [name, role] = entry.split(':') as [string, 'regulator' | 'operator' | 'finance']
  return { name, roles: [role], passwordHash: hashPassword(`${name}-secret`) }
})

before(async () => {
  testDb = await createTestDb('web_roles')
  keys = await operatorKeys()
  dev = await testAdminApp(testDb.db, { config: { web: { users, sessionSecret: 'web-roles' } } })
  admin = await productionAdminApp(testDb.db, keys, { web: { users, sessionSecret: 'web-roles' } })
  await setupHub(dev, 'USD')
  await onboardDfsp(dev, { name: 'bank-a', ndc: '10000', fundsIn: '5000' })
  await onboardDfsp(dev, { name: 'wallet-b', ndc: '10000', fundsIn: '5000' })
  await commitTransfer(testDb.db, 'bank-a', 'wallet-b', '25')
})
after(async () => {
  await admin.close()
  await dev.close()
  await testDb.drop()
})

async function passwordSession(name: string): Promise<{ cookie: string }> {
  const r = await admin.inject({ method: 'POST', url: '/ui/login', payload: { name, password: `${name}-secret` } })
  assert.equal(r.statusCode, 200, r.body)
  return { cookie: String(r.headers['set-cookie']).split(';')[0]! }
}
const openWindowId = async () => (await call(dev, 'GET', '/v2/settlementWindows?state=OPEN')).body[0].settlementWindowId as number
const close = async (headers: Record<string, string>) =>
  admin.inject({ method: 'POST', url: `/ui/api/admin/v2/settlementWindows/${await openWindowId()}`, headers, payload: { state: 'CLOSED', reason: 'from the web view' } })

test('closing a window from the web view is for the finance role only, as on the admin API', async () => {
  for (const name of ['rita', 'olga']) {
    const r = await close(await passwordSession(name))
    assert.equal(r.statusCode, 403, name)
    assert.equal(r.json().errorInformation.errorCode, '3000')
  }
  const r = await close(await passwordSession('fiona'))
  assert.equal(r.statusCode, 200, r.body)
  assert.ok(await testDb.db('audit_log').where({ actor: 'fiona', action: 'settlementWindow.close' }).first())
  await assertLedgerInvariants(testDb.db)
})

test('every operator action of the web view is refused to the regulator and the auditor over HTTP, before its body is read, and nothing is audited', async () => {
  const auditBefore = await testDb.db('audit_log').whereNot('action', 'like', 'web.%').count({ n: '*' }).first()
  const sessions = [await passwordSession('rita'), bearer(await keys.token('audrey', ['auditor']))]
  for (const [action, [method, path]] of Object.entries(WEB_ACTIONS)) {
    const url = `/ui/api/admin${path.replace(':name', 'bank-a').replace(':id', '1').replace(':transferId', 'f0f0f0f0-0000-4000-8000-000000000000')}`
    for (const headers of sessions) {
      const r = await admin.inject({ method, url, headers, payload: { nonsense: true } })
      assert.equal(r.statusCode, 403, `${action}: ${method} ${url}`)
      assert.match(r.json().errorInformation.errorDescription, /needs the role/)
    }
  }
  assert.deepEqual(await testDb.db('audit_log').whereNot('action', 'like', 'web.%').count({ n: '*' }).first(), auditBefore)
})

test('every role reads the web view; without a session or token it answers 401, in development mode too', async () => {
  for (const name of ['rita', 'olga', 'fiona']) {
    const r = await admin.inject({ method: 'GET', url: '/ui/api/reports/positions', headers: await passwordSession(name) })
    assert.equal(r.statusCode, 200, name)
  }
  const me = await admin.inject({ method: 'GET', url: '/ui/api/me', headers: await passwordSession('rita') })
  assert.deepEqual(me.json(), { name: 'rita', roles: ['regulator'] })
  for (const app of [admin, dev]) assert.equal((await app.inject({ method: 'GET', url: '/ui/api/windows' })).statusCode, 401)
})

test('a bearer token works on the web view\'s API with its roles, and a web session is no credential on the admin API', async () => {
  const auditor = bearer(await keys.token('audrey', ['auditor']))
  assert.deepEqual((await admin.inject({ method: 'GET', url: '/ui/api/me', headers: auditor })).json(), { name: 'audrey', roles: ['auditor'] })
  assert.equal((await close(auditor)).statusCode, 403)
  const session = await passwordSession('olga')
  assert.equal((await admin.inject({ method: 'GET', url: '/participants', headers: session })).statusCode, 401)
})

test('a person can open a web session with a token: the same subject and roles, refused when the token is not valid', async () => {
  const login = await admin.inject({ method: 'POST', url: '/ui/login/token', payload: { token: await keys.token('fred@scheme.example', ['finance'], '30m') } })
  assert.equal(login.statusCode, 200, login.body)
  assert.match(String(login.headers['set-cookie']), /HttpOnly; SameSite=Strict; Path=\/ui; Secure; Max-Age=1[78]\d\d/)
  const cookie = String(login.headers['set-cookie']).split(';')[0]!
  assert.deepEqual((await admin.inject({ method: 'GET', url: '/ui/api/me', headers: { cookie } })).json(), { name: 'fred@scheme.example', roles: ['finance'] })
  assert.equal((await close({ cookie })).statusCode, 200)
  assert.ok(await testDb.db('audit_log').where({ actor: 'fred@scheme.example', action: 'settlementWindow.close' }).first())
  const expired = await keys.sign({ sub: 'fred', roles: ['finance'], iss: 'agora', aud: 'agora-admin', exp: Math.floor(Date.now() / 1000) - 120 })
  const refused = await admin.inject({ method: 'POST', url: '/ui/login/token', payload: { token: expired } })
  assert.equal(refused.statusCode, 401)
  assert.match(refused.json().errorInformation.errorDescription, /expired/)
  assert.equal(refused.headers['set-cookie'], undefined)
})
