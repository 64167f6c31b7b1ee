// `agora ca` and `agora certificates`, run as real commands: a scheme makes its CA and a participant's
// certificate, registers it through a listening admin API, rotates and revokes it.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import { createTestDb, type TestDb } from '../../test/support/db.ts'
import { testAdminApp } from '../../test/support/apps.ts'
import { call, setupHub } from '../../test/support/fixtures.ts'
import { chainsTo, parseBundle, parseCertificate } from './certificates.ts'

const run = promisify(execFile)
const bin = fileURLToPath(new URL('../../bin/agora.mjs', import.meta.url))
const work = mkdtempSync(path.join(tmpdir(), 'agora-cli-ca-'))
const caDir = path.join(work, 'ca')
let testDb: TestDb
let admin: FastifyInstance
let adminUrl: string

const agora = async (...args: string[]) => (await run(process.execPath, [bin, ...args])).stdout
const withAdmin = (...args: string[]) => agora(...args, '--admin', adminUrl, '--operator', 'cli-ca-test')

before(async () => {
  await agora('ca', 'init', '--dir', caDir, '--hub', 'Hub')
  testDb = await createTestDb('cli_ca')
  admin = await testAdminApp(testDb.db, { config: { tls: { caFile: path.join(caDir, 'ca.cert.pem'), certFile: path.join(caDir, 'switch.cert.pem'), keyFile: path.join(caDir, 'switch.key.pem') } } })
  await admin.listen({ host: '127.0.0.1', port: 0 })
  adminUrl = `http://127.0.0.1:${(admin.server.address() as { port: number }).port}`
  await setupHub(admin, 'USD')
  assert.equal((await call(admin, 'POST', '/participants', { name: 'clifsp', currency: 'USD' })).status, 201)
})
after(async () => {
  await admin.close()
  await testDb.drop()
})

test('`agora ca init` makes the hub CA and the switch certificate, keys readable only by their owner, and will not overwrite a CA', async () => {
  const ca = parseBundle(readFileSync(path.join(caDir, 'ca.cert.pem'), 'utf8'))
  const server = parseCertificate(readFileSync(path.join(caDir, 'switch.cert.pem'), 'utf8'))
  assert.ok(chainsTo(server, ca))
  assert.ok(server.checkHost('localhost') && server.checkIP('127.0.0.1'))
  assert.equal(statSync(path.join(caDir, 'ca.key.pem')).mode & 0o077, 0)
  await assert.rejects(agora('ca', 'init', '--dir', caDir), (error: unknown) => error instanceof Error && 'stderr' in error && /already has a CA/.test(String(error.stderr)))
})

test('issue, register, list, rotate and revoke a participant certificate from the CLI', async () => {
  const out = path.join(work, 'clifsp')
  const first = JSON.parse(await agora('ca', 'issue', 'clifsp', '--dir', caDir, '--out', out))
  assert.equal(parseCertificate(readFileSync(first.certificate, 'utf8')).subject, 'CN=clifsp')
  const registered = JSON.parse(await withAdmin('certificates', 'register', 'clifsp', '--cert', first.certificate))
  assert.equal(registered.fingerprint, first.fingerprint)
  assert.equal(registered.registeredBy, 'cli-ca-test')

  const renewedDir = path.join(work, 'renewed')
  const second = JSON.parse(await agora('ca', 'issue', 'clifsp', '--dir', caDir, '--out', renewedDir, '--days', '30'))
  const rotated = JSON.parse(await withAdmin('certificates', 'rotate', 'clifsp', '--cert', second.certificate, '--revoke', first.fingerprint))
  assert.equal(rotated.registered.state, 'ACTIVE')
  assert.equal(rotated.revoked.state, 'REVOKED')
  const listed = JSON.parse(await withAdmin('certificates', 'list', 'clifsp')) as { fingerprint: string; state: string }[]
  assert.deepEqual(listed.map((c) => [c.fingerprint, c.state]).sort(), [[first.fingerprint, 'REVOKED'], [second.fingerprint, 'ACTIVE']].sort())
  const revoked = JSON.parse(await withAdmin('certificates', 'revoke', 'clifsp', second.fingerprint))
  assert.equal(revoked.revokedBy, 'cli-ca-test')
  await assert.rejects(withAdmin('certificates', 'revoke', 'clifsp', 'ab'.repeat(32)), (error: unknown) => error instanceof Error && 'code' in error && 'stderr' in error && error.code === 1 && /3200/.test(String(error.stderr)))
  const audit = await testDb.db('audit_log').where({ actor: 'cli-ca-test' }).orderBy('id').pluck('action')
  assert.deepEqual(audit, ['participant.certificate.register', 'participant.certificate.register', 'participant.certificate.revoke', 'participant.certificate.revoke'])
})

test('`agora --help` lists the CA and certificate commands', async () => {
  const help = await agora('--help')
  for (const line of ['ca init --dir DIR', 'ca issue NAME --dir DIR --out DIR', 'certificates register NAME --cert FILE', 'certificates list NAME', 'certificates revoke NAME FINGERPRINT', 'certificates rotate NAME']) {
    assert.ok(help.includes(line), line)
  }
})
