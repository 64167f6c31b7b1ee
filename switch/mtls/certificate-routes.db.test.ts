// The admin API's certificate registry on the real MariaDB: what registration checks, listing, revocation
// and the audit rows, all in the transaction of the change.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { createTestDb, type TestDb } from '../../test/support/db.ts'
import { testAdminApp } from '../../test/support/apps.ts'
import { call, setupHub } from '../../test/support/fixtures.ts'
import { createTestPki, fingerprintOf, registerCertificate, revokeCertificate, type TestPki } from '../../test/support/mtls.ts'
import { createHubCa, issueCertificate } from './hub-ca.ts'

let testDb: TestDb
let admin: FastifyInstance
let pki: TestPki

before(async () => {
  testDb = await createTestDb('certroutes')
  pki = createTestPki()
  admin = await testAdminApp(testDb.db, { config: { tls: pki.files } })
  await setupHub(admin, 'USD')
  assert.equal((await call(admin, 'POST', '/participants', { name: 'certfsp', currency: 'USD' })).status, 201)
})
after(async () => {
  await admin.close()
  await testDb.drop()
})

test('registration refuses what the TLS handshake would not accept: another CA, a CA certificate, an expired or not yet valid one', async () => {
  const foreign = issueCertificate(createHubCa({ commonName: 'Other' }), { commonName: 'certfsp' })
  const cases: [string, RegExp][] = [
    [foreign.cert, /not issued by the scheme CA/],
    [pki.ca.cert, /is a CA certificate/],
    [pki.issue('certfsp', { notBefore: new Date(Date.now() - 400 * 86_400_000), validity_days: 30 }).cert, /not valid now/],
    [pki.issue('certfsp', { notBefore: new Date(Date.now() + 86_400_000) }).cert, /not valid now/],
    ['-----BEGIN CERTIFICATE-----\nnot a certificate at all, just some text that is long enough to pass the size check\n-----END CERTIFICATE-----', /certificate:/],
  ]
  for (const [pem, reason] of cases) {
    const r = await registerCertificate(admin, 'certfsp', pem)
    assert.equal(r.status, 400, JSON.stringify(r.body))
    assert.match(r.body.errorInformation.errorDescription, reason)
  }
  assert.equal(await testDb.db('participant_certificate').count({ n: '*' }).first().then((r) => Number(r?.n)), 0)
  assert.equal((await registerCertificate(admin, 'nobody', pki.issue('nobody').cert)).body.errorInformation.errorCode, '3200')
})

test('register, list and revoke, each audited with the operator; a certificate belongs to one participant only', async () => {
  const cert = pki.issue('certfsp')
  const fingerprint = fingerprintOf(cert.cert)
  const registered = await registerCertificate(admin, 'certfsp', cert.cert)
  assert.equal(registered.status, 201)
  assert.equal(registered.body.fingerprint, fingerprint)
  assert.equal(registered.body.state, 'ACTIVE')
  assert.equal(registered.body.subject, 'CN=certfsp')
  assert.equal(registered.body.registeredBy, 'test-operator')
  const again = await registerCertificate(admin, 'Hub', cert.cert)
  assert.equal(again.body.errorInformation.errorCode, '3000')
  assert.match(again.body.errorInformation.errorDescription, /already registered to certfsp$/)
  const listed = await call(admin, 'GET', '/participants/certfsp/certificates')
  assert.deepEqual(listed.body.map((c: { fingerprint: string; state: string }) => [c.fingerprint, c.state]), [[fingerprint, 'ACTIVE']])
  const colons = fingerprint.toUpperCase().match(/../g)!.join(':')
  const revoked = await revokeCertificate(admin, 'certfsp', colons)
  assert.equal(revoked.status, 200)
  assert.equal(revoked.body.state, 'REVOKED')
  assert.equal(revoked.body.revokedBy, 'test-operator')
  assert.equal((await revokeCertificate(admin, 'Hub', fingerprint)).status, 404, 'only its participant can revoke it')
  const audit = await testDb.db('audit_log').where('action', 'like', 'participant.certificate.%').orderBy('id')
  assert.deepEqual(audit.map((a: { actor: string; action: string; target: string }) => [a.actor, a.action, a.target]), [['test-operator', 'participant.certificate.register', 'certfsp'], ['test-operator', 'participant.certificate.revoke', 'certfsp']])
})

test('without a scheme CA configured, nothing can be registered', async () => {
  const bare = await testAdminApp(testDb.db)
  const r = await registerCertificate(bare, 'certfsp', pki.issue('certfsp').cert)
  assert.match(r.body.errorInformation.errorDescription, /no scheme CA bundle \(AGORA_TLS_CA_FILE\)/)
  await bare.close()
})
