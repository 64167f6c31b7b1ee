import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash, X509Certificate } from 'node:crypto'
import { createHubCa, issueCertificate } from './hub-ca.ts'
import { allowsClientAuth, certificateFacts, chainsTo, normalizeFingerprint, parseBundle, parseCertificate } from './certificates.ts'
import { refusalOf } from './authenticate.ts'
import type { CertificateRecord } from '../../ledger/store/certificates.ts'

const ca = createHubCa({ commonName: 'Test CA' })
const other = createHubCa({ commonName: 'Other CA' })
const issued = issueCertificate(ca, { commonName: 'payerfsp', hosts: ['localhost', '127.0.0.1'] })

test('a participant certificate from the hub CA names the participant, chains to the CA and may authenticate a TLS client', () => {
  const cert = parseCertificate(issued.cert)
  const facts = certificateFacts(cert)
  assert.equal(facts.commonName, 'payerfsp')
  assert.equal(facts.fingerprint, createHash('sha256').update(cert.raw).digest('hex'))
  assert.ok(facts.notBefore < new Date() && facts.notAfter > new Date())
  assert.equal(cert.ca, false)
  assert.ok(allowsClientAuth(cert))
  assert.ok(chainsTo(cert, parseBundle(ca.cert)))
  assert.ok(chainsTo(cert, parseBundle(other.cert + ca.cert)), 'any CA of the bundle')
  assert.equal(chainsTo(cert, parseBundle(other.cert)), false)
  assert.ok(new X509Certificate(ca.cert).ca)
})

test('fingerprints are accepted as openssl prints them or as bare hex', () => {
  const hex = 'ab'.repeat(32)
  assert.equal(normalizeFingerprint(`${'AB:'.repeat(31)}AB`), hex)
  assert.equal(normalizeFingerprint(hex.toUpperCase()), hex)
  assert.equal(normalizeFingerprint('abc'), undefined)
  assert.throws(() => parseCertificate(issued.cert + issued.cert), /expected one PEM certificate, found 2/)
})

test('a request is refused unless its certificate is registered, not revoked, valid now and the FSPIOP-Source\'s', () => {
  const now = new Date('2026-06-01T00:00:00Z')
  const record: CertificateRecord = {
    fingerprint: 'ab'.repeat(32), participant: 'payerfsp', serialNumber: '01', subject: 'CN=payerfsp',
    notBefore: new Date('2026-01-01T00:00:00Z'), notAfter: new Date('2027-01-01T00:00:00Z'), registeredAt: now, registeredBy: 'op', revokedAt: undefined, revokedBy: undefined,
  }
  assert.equal(refusalOf(record, 'payerfsp', now), undefined)
  assert.match(refusalOf(record, 'payeefsp', now)!, /FSPIOP-Source payeefsp is not the participant of the client certificate/)
  assert.match(refusalOf(undefined, 'payerfsp', now)!, /not registered/)
  assert.match(refusalOf({ ...record, revokedAt: now }, 'payerfsp', now)!, /revoked/)
  assert.match(refusalOf({ ...record, notAfter: now }, 'payerfsp', now)!, /not valid now/)
  assert.match(refusalOf(record, 'payerfsp', new Date('2025-12-31T00:00:00Z'))!, /not valid now/)
})
