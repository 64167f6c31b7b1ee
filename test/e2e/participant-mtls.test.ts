// Participant authentication by mutual TLS, through the real switch over real TLS sockets: the caller is
// the participant its registered client certificate names, and a request whose FSPIOP-Source is someone
// else is refused with 3100 before it can reserve, fulfil or abort anything (central-ledger's answer to a
// FSPIOP-Source that is not the payer; docs/adr/0008-participant-identity.md).
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { startSwitch, type SwitchHarness } from '../support/switch-harness.ts'
import { startTestDfsp, type TestDfsp } from '../support/dfsp-server.ts'
import { onboardDfsp, setupHub } from '../support/fixtures.ts'
import { fspiopHeaders, newTransfer, type SentTransfer } from '../support/fspiop-client.ts'
import { snapshot } from '../support/snapshot.ts'
import { createTestPki, fingerprintOf, productionConfig, registerCertificate, revokeCertificate, tlsClient, type TestPki } from '../support/mtls.ts'
import { createHubCa, issueCertificate, type KeyAndCertificate } from '../../switch/mtls/hub-ca.ts'
import { assertSwitchInvariants } from '../support/switch-invariants.ts'

let pki: TestPki
let sw: SwitchHarness
let payer: TestDfsp
let payee: TestDfsp
const certs: Record<string, KeyAndCertificate> = {}
const clients: ReturnType<typeof tlsClient>[] = []
const clientOf = (identity?: KeyAndCertificate) => {
  const client = tlsClient(pki, identity)
  clients.push(client)
  return client
}

before(async () => {
  pki = createTestPki()
  sw = await startSwitch('mtls', { config: productionConfig(pki) })
  certs.tlspayer = pki.issue('tlspayer')
  certs.tlspayee = pki.issue('tlspayee')
  payer = await startTestDfsp('tlspayer')
  // The payee takes its callbacks over HTTPS and wants the hub's client certificate.
  payee = await startTestDfsp('tlspayee', { tls: { ...certs.tlspayee, ca: pki.ca.cert } })
  await setupHub(sw.admin, 'USD')
  await onboardDfsp(sw.admin, { name: 'tlspayer', ndc: '1000', fundsIn: '1000', endpointBase: payer.url })
  await onboardDfsp(sw.admin, { name: 'tlspayee', ndc: '1000', fundsIn: '1000', endpointBase: payee.url })
  for (const name of ['tlspayer', 'tlspayee']) assert.equal((await registerCertificate(sw.admin, name, certs[name]!.cert)).status, 201)
})
after(async () => {
  for (const client of clients) await client.close()
  await sw.stop()
  await payer.close()
  await payee.close()
})

const prepareAs = (identity: KeyAndCertificate, t: SentTransfer, source = 'tlspayer') =>
  clientOf(identity).send(sw.apiUrl, 'POST', '/transfers', fspiopHeaders(source, 'tlspayee'), t.body)
const fulfilAs = (identity: KeyAndCertificate, t: SentTransfer) => {
  const headers = fspiopHeaders('tlspayee', 'tlspayer')
  delete headers.accept
  return clientOf(identity).send(sw.apiUrl, 'PUT', `/transfers/${t.transferId}`, headers, { transferState: 'COMMITTED', fulfilment: t.fulfilment, completedTimestamp: new Date().toISOString() })
}

async function completeTransfer(payerCert: KeyAndCertificate, amount: string): Promise<void> {
  const t = newTransfer('tlspayer', 'tlspayee', amount)
  assert.equal((await prepareAs(payerCert, t)).status, 202)
  await payee.waitFor((c) => c.method === 'POST' && c.body?.transferId === t.transferId)
  assert.equal((await fulfilAs(certs.tlspayee!, t)).status, 200)
  const committed = await payer.waitFor((c) => c.path === `/transfers/${t.transferId}`)
  assert.equal(committed.body.transferState, 'COMMITTED')
}

test('a DFSP presenting its registered certificate completes a transfer; the hub presents its own certificate to an https callback endpoint', async () => {
  await completeTransfer(certs.tlspayer!, '10')
  const prepared = payee.received.find((c) => c.method === 'POST')!
  assert.equal(prepared.clientCertificateCn, 'Hub', 'the payee\'s server saw the hub\'s client certificate')
  await assertSwitchInvariants(sw)
})

test('a prepare with a forged FSPIOP-Source, sent with another DFSP\'s certificate, is refused with 3100 and reserves nothing', async () => {
  const before = await snapshot(sw.testDb.db)
  const forged = newTransfer('tlspayer', 'tlspayee', '25')
  const refused = await prepareAs(certs.tlspayee!, forged, 'tlspayer')
  assert.equal(refused.status, 400)
  assert.equal(refused.body.errorInformation.errorCode, '3100')
  assert.match(refused.body.errorInformation.errorDescription, /FSPIOP-Source tlspayer is not the participant of the client certificate/)
  await new Promise((r) => setTimeout(r, 300))
  assert.equal(await snapshot(sw.testDb.db), before, 'no transfer, reservation or position changed')
  assert.ok(!payee.received.some((c) => c.body?.transferId === forged.transferId))
})

test('a DFSP cannot abort another DFSP\'s transfer by naming the payee as FSPIOP-Source', async () => {
  const t = newTransfer('tlspayer', 'tlspayee', '7')
  assert.equal((await prepareAs(certs.tlspayer!, t)).status, 202)
  await payee.waitFor((c) => c.method === 'POST' && c.body?.transferId === t.transferId)
  const headers = fspiopHeaders('tlspayee', 'tlspayer')
  delete headers.accept
  const abort = await clientOf(certs.tlspayer).send(sw.apiUrl, 'PUT', `/transfers/${t.transferId}/error`, headers, { errorInformation: { errorCode: '5104', errorDescription: 'Payee rejected transaction' } })
  assert.equal(abort.body.errorInformation.errorCode, '3100')
  const state = await sw.testDb.db('transfer').where({ id: t.transferId }).first()
  assert.equal(state.state, 'RESERVED', 'the forged abort changed nothing')
  assert.equal((await fulfilAs(certs.tlspayee!, t)).status, 200)
  assert.equal((await payer.waitFor((c) => c.path === `/transfers/${t.transferId}`)).body.transferState, 'COMMITTED')
  await assertSwitchInvariants(sw)
})

/** The server ends the handshake: TLS 1.3 clients see the socket closed, TLS 1.2 ones an alert. */
const handshakeRefused = (error: { code?: string }) => /^(UND_ERR_SOCKET|ECONNRESET|EPROTO|ERR_SSL_)/.test(error.code ?? '')

test('without a client certificate, or with one from another CA, the TLS handshake fails', async () => {
  const t = newTransfer('tlspayer', 'tlspayee', '3')
  await assert.rejects(clientOf(undefined).send(sw.apiUrl, 'POST', '/transfers', fspiopHeaders('tlspayer', 'tlspayee'), t.body), handshakeRefused)
  const strangerCa = createHubCa({ commonName: 'Someone else' })
  await assert.rejects(prepareAs(issueCertificate(strangerCa, { commonName: 'tlspayer' }), t), handshakeRefused)
  assert.equal(await sw.testDb.db('transfer').where({ id: t.transferId }).first(), undefined)
})

test('a certificate the scheme CA issued but no operator registered is refused with 3100, even with CN = the DFSP\'s name', async () => {
  const unregistered = await prepareAs(pki.issue('tlspayer'), newTransfer('tlspayer', 'tlspayee', '3'))
  assert.equal(unregistered.status, 400)
  assert.match(unregistered.body.errorInformation.errorDescription, /client certificate is not registered/)
})

test('rotation keeps the DFSP working; the revoked certificate is refused at once, on a connection already open', async () => {
  const old = certs.tlspayer!
  const oldClient = clientOf(old)
  const renewed = pki.issue('tlspayer')
  assert.equal((await registerCertificate(sw.admin, 'tlspayer', renewed.cert)).status, 201)
  await completeTransfer(old, '1')
  await completeTransfer(renewed, '2')
  const warm = await oldClient.send(sw.apiUrl, 'GET', `/transfers/${(await sw.testDb.db('transfer').first()).id}`, fspiopHeaders('tlspayer', undefined))
  assert.equal(warm.status, 202)
  const revoked = await revokeCertificate(sw.admin, 'tlspayer', fingerprintOf(old.cert))
  assert.equal(revoked.status, 200)
  assert.equal(revoked.body.state, 'REVOKED')
  const t = newTransfer('tlspayer', 'tlspayee', '4')
  const refused = await oldClient.send(sw.apiUrl, 'POST', '/transfers', fspiopHeaders('tlspayer', 'tlspayee'), t.body)
  assert.equal(refused.body.errorInformation.errorCode, '3100')
  assert.match(refused.body.errorInformation.errorDescription, /revoked/)
  await completeTransfer(renewed, '5')
  const audit = await sw.testDb.db('audit_log').whereIn('action', ['participant.certificate.register', 'participant.certificate.revoke']).where({ target: 'tlspayer' })
  assert.deepEqual(audit.map((a: any) => a.action), ['participant.certificate.register', 'participant.certificate.register', 'participant.certificate.revoke'])
  await assertSwitchInvariants(sw)
})
