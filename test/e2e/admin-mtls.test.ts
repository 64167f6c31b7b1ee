// Automation on the admin API over TLS (AGORA_ADMIN_TLS): a robot presents a client certificate the scheme CA
// issued and AGORA_ADMIN_CLIENTS_FILE maps to a subject and roles; people keep using tokens, with or without a
// certificate. Real TLS sockets on 127.0.0.1 (docs/adr/0009-operator-identity.md).
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import { request } from 'undici'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'
import { createTestDb, type TestDb } from '../support/db.ts'
import { testAdminApp } from '../support/apps.ts'
import { call, onboardDfsp, setupHub } from '../support/fixtures.ts'
import { createTestPki, fingerprintOf, tlsClient, type TestPki } from '../support/mtls.ts'
import { bearer, operatorKeys, productionAdminApp, type OperatorKeys } from '../support/operators.ts'
import { createHubCa, issueCertificate, DEFAULT_HOSTS } from '../../switch/mtls/hub-ca.ts'
import { snapshot } from '../support/snapshot.ts'

let testDb: TestDb
let keys: OperatorKeys
let pki: TestPki
let admin: FastifyInstance
let dev: FastifyInstance
let adminUrl: string
const clients: ReturnType<typeof tlsClient>[] = []

const json = { 'content-type': 'application/json' }
const limits = (value: number) => ({ currency: 'USD', limit: { type: 'NET_DEBIT_CAP', value } })

let robot: ReturnType<typeof tlsClient>
let stranger: ReturnType<typeof tlsClient>
let impostor: ReturnType<typeof tlsClient>
let anonymous: ReturnType<typeof tlsClient>
let robotFiles: { cert: string; key: string }

before(async () => {
  testDb = await createTestDb('admin_mtls')
  keys = await operatorKeys()
  pki = createTestPki()
  const deployBot = pki.issue('deploy-bot')
  // Another CA's certificate, listed in the clients file: the handshake does not verify it, so it must not count.
  const otherCa = createHubCa({ commonName: 'Other CA' })
  const forged = issueCertificate(otherCa, { commonName: 'deploy-bot', hosts: DEFAULT_HOSTS })
  const clientsFile = path.join(pki.dir, 'admin-clients.json')
  writeFileSync(clientsFile, JSON.stringify({
    [fingerprintOf(deployBot.cert)]: { subject: 'deploy-bot', roles: ['operator'] },
    [fingerprintOf(forged.cert)]: { subject: 'forged-bot', roles: ['operator', 'finance'] },
  }))
  admin = await productionAdminApp(testDb.db, keys, { tls: pki.files, adminTls: { enabled: true, clientsFile } })
  await admin.listen({ host: '127.0.0.1', port: 0 })
  adminUrl = `https://127.0.0.1:${(admin.server.address() as { port: number }).port}`
  dev = await testAdminApp(testDb.db)
  await setupHub(dev, 'USD')
  await onboardDfsp(dev, { name: 'bank-a', ndc: '10000', fundsIn: '5000' })
  robot = tlsClient(pki, deployBot)
  robotFiles = { cert: path.join(pki.dir, 'deploy-bot.cert.pem'), key: path.join(pki.dir, 'deploy-bot.key.pem') }
  writeFileSync(robotFiles.cert, deployBot.cert)
  writeFileSync(robotFiles.key, deployBot.key)
  stranger = tlsClient(pki, pki.issue('stranger'))
  impostor = tlsClient(pki, forged)
  anonymous = tlsClient(pki)
  clients.push(robot, stranger, impostor, anonymous)
})
after(async () => {
  await Promise.all(clients.map((c) => c.close()))
  await admin.close()
  await dev.close()
  await testDb.drop()
})

const openWindowId = async () => (await call(dev, 'GET', '/v2/settlementWindows?state=OPEN')).body[0].settlementWindowId as number

test('a robot with a mapped client certificate calls an operator route without a token, and the audit log names its subject', async () => {
  const r = await robot.send(adminUrl, 'PUT', '/participants/bank-a/limits', { ...json, 'x-agora-operator': 'mallory' }, limits(4321))
  assert.equal(r.status, 200, JSON.stringify(r.body))
  const audit = await testDb.db('audit_log').where({ action: 'participant.limits.update', target: 'bank-a' }).orderBy('id', 'desc').first()
  assert.equal(audit.actor, 'deploy-bot')
  assert.equal((await robot.send(adminUrl, 'GET', '/participants', {})).status, 200)
})

test('the certificate\'s roles are enforced: an operator robot is refused a finance route with 403 and 3000', async () => {
  const before = await snapshot(testDb.db)
  const r = await robot.send(adminUrl, 'POST', `/v2/settlementWindows/${await openWindowId()}`, json, { state: 'CLOSED', reason: 'robot' })
  assert.equal(r.status, 403)
  assert.equal(r.body.errorInformation.errorCode, '3000')
  assert.match(r.body.errorInformation.errorDescription, /needs the role finance.*deploy-bot has operator/)
  assert.equal(await snapshot(testDb.db), before)
})

test('a certificate the scheme CA issued but the clients file does not map, without a token, is 401', async () => {
  const r = await stranger.send(adminUrl, 'GET', '/participants', {})
  assert.equal(r.status, 401)
  assert.equal(r.body.errorInformation.errorCode, '3000')
})

test('a mapped fingerprint on a certificate the scheme CA did not issue does not count (401)', async () => {
  const r = await impostor.send(adminUrl, 'PUT', '/participants/bank-a/limits', json, limits(1))
  assert.equal(r.status, 401)
  assert.equal((await testDb.db('audit_log').where({ actor: 'forged-bot' })).length, 0)
})

test('a bearer token still works over the https admin port without any client certificate', async () => {
  const r = await anonymous.send(adminUrl, 'PUT', '/participants/bank-a/limits', { ...json, ...bearer(await keys.token('olga', ['operator'])) }, limits(5555))
  assert.equal(r.status, 200)
  const audit = await testDb.db('audit_log').where({ action: 'participant.limits.update', target: 'bank-a' }).orderBy('id', 'desc').first()
  assert.equal(audit.actor, 'olga')
  assert.equal((await anonymous.send(adminUrl, 'GET', '/participants', {})).status, 401, 'and without a token nor a certificate: 401')
})

test('a token sent with a mapped certificate wins: its subject and roles decide, and a bad token is 401', async () => {
  const rita = await keys.token('rita', ['regulator'])
  const refused = await robot.send(adminUrl, 'PUT', '/participants/bank-a/limits', { ...json, ...bearer(rita) }, limits(1))
  assert.equal(refused.status, 403)
  assert.match(refused.body.errorInformation.errorDescription, /rita has regulator/)
  assert.equal((await robot.send(adminUrl, 'GET', '/participants', bearer('not-a-jwt'))).status, 401)
})

test('a certificate is not a credential on the web view\'s routes (a browser presents it to any site)', async () => {
  assert.equal((await robot.send(adminUrl, 'GET', '/ui/api/me', {})).status, 401)
})

test('the admin port with AGORA_ADMIN_TLS speaks only TLS, and /health stays open to callers without a certificate', async () => {
  await assert.rejects(request(`${adminUrl.replace('https:', 'http:')}/health`).then((r) => r.body.text()))
  assert.equal((await anonymous.send(adminUrl, 'GET', '/health', {})).status, 200)
})

const bin = fileURLToPath(new URL('../../bin/agora.mjs', import.meta.url))
const agora = async (args: string[], env: Record<string, string> = {}) =>
  (await promisify(execFile)(process.execPath, [bin, ...args], { env: { ...process.env, AGORA_TOKEN: '', ...env } })).stdout.trim()

test('the CLI with --cert/--key/--ca calls the https admin API as the robot; AGORA_ADMIN_CERT/KEY/CA do the same for settlement commands', async () => {
  const tlsFlags = ['--cert', robotFiles.cert, '--key', robotFiles.key, '--ca', pki.files.caFile]
  const names = (JSON.parse(await agora(['participants', 'list', '--admin', adminUrl, ...tlsFlags])) as { name: string }[]).map((p) => p.name)
  assert.ok(names.includes('bank-a'))
  await agora(['limits', 'set', 'bank-a', '--currency', 'USD', '--ndc', '2468', '--admin', adminUrl, ...tlsFlags, '--operator', 'someone-else'])
  const audit = await testDb.db('audit_log').where({ action: 'participant.limits.update', target: 'bank-a' }).orderBy('id', 'desc').first()
  assert.equal(audit.actor, 'deploy-bot')
  const env = { AGORA_ADMIN_CERT: robotFiles.cert, AGORA_ADMIN_KEY: robotFiles.key, AGORA_ADMIN_CA: pki.files.caFile }
  await assert.rejects(agora(['settlement', 'close-window', '--admin', adminUrl], env), /403 3000.*needs the role finance/)
  await assert.rejects(agora(['participants', 'list', '--admin', adminUrl, '--ca', pki.files.caFile]), /401 3000/)
  await assert.rejects(agora(['participants', 'list', '--admin', adminUrl, '--cert', robotFiles.cert]), /--cert and --key go together/)
})
