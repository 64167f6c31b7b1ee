// A scheme issuing operator credentials with the CLI, as the README tells it: `agora operators keygen`,
// the JWKS file given to a production switch, `agora operators token`, then `agora … --token` (or AGORA_TOKEN).
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import { createTestDb, type TestDb } from '../../test/support/db.ts'
import { testAdminApp } from '../../test/support/apps.ts'
import { onboardDfsp, setupHub } from '../../test/support/fixtures.ts'
import { commitTransfer } from '../../test/support/committed-transfers.ts'
import { assertLedgerInvariants } from '../../ledger/invariants/ledger-invariants.ts'

const run = promisify(execFile)
const bin = fileURLToPath(new URL('../../bin/agora.mjs', import.meta.url))
const env = { ...process.env, AGORA_TOKEN: '' }
let testDb: TestDb
let admin: FastifyInstance
let adminUrl: string
let keyDir: string
let privateKeyFile: string

const agora = async (args: string[], extraEnv: Record<string, string> = {}) => (await run(process.execPath, [bin, ...args], { env: { ...env, ...extraEnv } })).stdout.trim()
const token = (subject: string, ...roles: string[]) => agora(['operators', 'token', '--key', privateKeyFile, '--subject', subject, ...roles.flatMap((r) => ['--role', r]), '--ttl', '10m'])

before(async () => {
  testDb = await createTestDb('operators_cli')
  keyDir = await mkdtemp(path.join(tmpdir(), 'agora-cli-keys-'))
  const printed = await agora(['operators', 'keygen', '--dir', keyDir])
  assert.match(printed, /private key \(keep secret\)/)
  privateKeyFile = path.join(keyDir, (await readdir(keyDir)).find((f) => f.endsWith('.private.jwk.json'))!)
  admin = await testAdminApp(testDb.db, {
    config: { env: 'production', operators: { jwksFile: path.join(keyDir, 'operators.jwks.json'), localIssuer: 'agora', oidc: undefined, audience: 'agora-admin', rolesClaim: 'roles' } },
  })
  await admin.listen({ host: '127.0.0.1', port: 0 })
  adminUrl = `http://127.0.0.1:${(admin.server.address() as { port: number }).port}`
  const dev = await testAdminApp(testDb.db)
  await setupHub(dev, 'USD')
  await onboardDfsp(dev, { name: 'bank-a', ndc: '10000', fundsIn: '5000' })
  await onboardDfsp(dev, { name: 'wallet-b', ndc: '10000', fundsIn: '5000' })
  await dev.close()
})
after(async () => {
  await admin.close()
  await testDb.drop()
})

test('keygen keeps the private key to its owner (mode 0600) and writes a JWKS of public keys only', async () => {
  assert.equal((await stat(privateKeyFile)).mode & 0o777, 0o600)
  const { keys } = JSON.parse(await readFile(path.join(keyDir, 'operators.jwks.json'), 'utf8'))
  assert.equal(keys.length, 1)
  assert.equal(keys[0].alg, 'ES256')
  assert.equal('d' in keys[0], false)
})

test('the CLI with --token works against a production admin API, and the audit log names the token\'s subject', async () => {
  const olga = await token('olga', 'operator')
  const participants = JSON.parse(await agora(['participants', 'list', '--admin', adminUrl, '--token', olga])) as { name: string }[]
  assert.deepEqual(participants.map((p) => p.name).sort(), ['Hub', 'bank-a', 'wallet-b'])
  await agora(['limits', 'set', 'bank-a', '--currency', 'USD', '--ndc', '2500', '--admin', adminUrl, '--token', olga, '--operator', 'someone-else'])
  assert.ok(await testDb.db('audit_log').where({ actor: 'olga', action: 'participant.limits.update' }).first())
  assert.equal((await testDb.db('audit_log').where({ actor: 'someone-else' })).length, 0)
})

test('AGORA_TOKEN is sent when --token is not given; the settlement commands send it too', async () => {
  await commitTransfer(testDb.db, 'bank-a', 'wallet-b', '10')
  const fiona = await token('fiona', 'finance')
  const closed = JSON.parse(await agora(['settlement', 'close-window', '--reason', 'day end', '--admin', adminUrl], { AGORA_TOKEN: fiona }))
  assert.equal(closed.state, 'OPEN', 'the next window')
  assert.ok(await testDb.db('audit_log').where({ actor: 'fiona', action: 'settlementWindow.close' }).first())
  await assertLedgerInvariants(testDb.db)
})

test('without a token, or with a role the command does not allow, the CLI fails with the switch\'s 401 or 403', async () => {
  await assert.rejects(agora(['participants', 'list', '--admin', adminUrl]), (error: { code: number; stderr: string }) => {
    assert.equal(error.code, 1)
    assert.match(error.stderr, /401 3000/)
    return true
  })
  const rita = await token('rita', 'regulator')
  await assert.rejects(agora(['limits', 'set', 'bank-a', '--currency', 'USD', '--ndc', '1', '--admin', adminUrl, '--token', rita]), /403 3000.*needs the role operator/)
  await assert.rejects(token('x', 'superuser'), /unknown role superuser/)
})
