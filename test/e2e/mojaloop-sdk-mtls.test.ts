// The Mojaloop SDK client (@mojaloop/sdk-standard-components MojaloopRequests) against Agora in
// production mode, with mutual TLS (its `tls.creds`) and JWS (AGORA_JWS_SIGN and
// AGORA_VALIDATE_INBOUND_JWS) both on: a transfer completes, the payer's signature reaches the payee
// intact, callbacks reach the DFSPs' HTTPS servers with the hub's client certificate, and an SDK client
// that claims another DFSP's dfspId is refused with 3100 at the door.
import { JWS_DATE_WINDOW_S } from '../../switch/config/config.ts'
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import { startSwitch, type SwitchHarness } from '../support/switch-harness.ts'
import { startTestDfsp, type TestDfsp } from '../support/dfsp-server.ts'
import { call, onboardDfsp, setupHub } from '../support/fixtures.ts'
import { createTestPki, productionConfig, registerCertificate, type TestPki } from '../support/mtls.ts'
import type { KeyAndCertificate } from '../../switch/mtls/hub-ca.ts'
import { conditionOf } from '../../ledger/domain/fulfilment.ts'
import { assertSwitchInvariants } from '../support/switch-invariants.ts'

const sdk = createRequire(import.meta.url)('@mojaloop/sdk-standard-components')
const keyPair = () => generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } })
const jwsKeys = { sdkpayer: keyPair(), sdkpayee: keyPair() }

let pki: TestPki
let sw: SwitchHarness
let payer: TestDfsp
let payee: TestDfsp
const certs: Record<string, KeyAndCertificate> = {}

before(async () => {
  pki = createTestPki()
  const hubJwsKey = keyPair()
  const hubKeyFile = path.join(pki.dir, 'hub-jws.pem')
  writeFileSync(hubKeyFile, hubJwsKey.privateKey)
  sw = await startSwitch('sdkmtls', { config: productionConfig(pki, { jws: { sign: true, validateInbound: true, hubPrivateKeyFile: hubKeyFile, dateWindow_s: JWS_DATE_WINDOW_S } }) })
  for (const name of ['sdkpayer', 'sdkpayee'] as const) certs[name] = pki.issue(name)
  payer = await startTestDfsp('sdkpayer', { tls: { ...certs.sdkpayer!, ca: pki.ca.cert } })
  payee = await startTestDfsp('sdkpayee', { tls: { ...certs.sdkpayee!, ca: pki.ca.cert } })
  await setupHub(sw.admin, 'USD')
  for (const [name, dfsp] of [['sdkpayer', payer], ['sdkpayee', payee]] as const) {
    await onboardDfsp(sw.admin, { name, ndc: '1000', fundsIn: '1000', endpointBase: dfsp.url })
    assert.equal((await call(sw.admin, 'PUT', `/participants/${name}/jwsKey`, { publicKey: jwsKeys[name].publicKey })).status, 200)
    assert.equal((await registerCertificate(sw.admin, name, certs[name]!.cert)).status, 201)
  }
})
after(async () => {
  await sw.stop()
  await payer.close()
  await payee.close()
})

/** A DFSP's SDK client: `dfspId` signs and names FSPIOP-Source; `tlsAs` is whose certificate it presents. */
const connector = (dfspId: 'sdkpayer' | 'sdkpayee', tlsAs: 'sdkpayer' | 'sdkpayee' = dfspId) => new sdk.MojaloopRequests({
  logger: sdk.Logger.loggerFactory({ context: { app: 'agora-sdk-mtls' } }), dfspId, peerEndpoint: sw.apiUrl.replace('https://', ''),
  tls: { enabled: true, creds: { ca: pki.ca.cert, cert: certs[tlsAs]!.cert, key: certs[tlsAs]!.key } },
  jwsSign: true, jwsSigningKey: jwsKeys[dfspId].privateKey,
})
const validatorOf = (dfspId: string, publicKey: string) => new sdk.Jws.validator({ logger: sdk.Logger.loggerFactory({ context: {} }), validationKeys: { [dfspId]: publicKey } })

const prepareBody = (transferId: string, fulfilment: string, amount: string) => ({
  transferId, payerFsp: 'sdkpayer', payeeFsp: 'sdkpayee', amount: { amount, currency: 'USD' }, ilpPacket: randomBytes(40).toString('base64url'),
  condition: conditionOf(fulfilment), expiration: new Date(Date.now() + 60_000).toISOString(),
})

test('the Mojaloop SDK client completes a transfer with mutual TLS and JWS on', async () => {
  const transferId = randomUUID()
  const fulfilment = randomBytes(32).toString('base64url')
  await connector('sdkpayer').postTransfers(prepareBody(transferId, fulfilment, '40'), 'sdkpayee')
  const prepared = await payee.waitFor((c) => c.method === 'POST' && c.body?.transferId === transferId)
  assert.doesNotThrow(() => validatorOf('sdkpayer', jwsKeys.sdkpayer.publicKey).validate({ headers: prepared.headers, body: prepared.body }), 'the payee gets the payer\'s signature intact')
  assert.equal(prepared.clientCertificateCn, 'Hub')
  await connector('sdkpayee').putTransfers(transferId, { transferState: 'COMMITTED', fulfilment, completedTimestamp: new Date().toISOString() }, 'sdkpayer')
  const committed = await payer.waitFor((c) => c.path === `/transfers/${transferId}`)
  assert.equal(committed.body.transferState, 'COMMITTED')
  assert.equal(committed.clientCertificateCn, 'Hub')
  assert.doesNotThrow(() => validatorOf('sdkpayee', jwsKeys.sdkpayee.publicKey).validate({ headers: committed.headers, body: committed.body }))
  const row = await sw.testDb.db('transfer').where({ id: transferId }).first()
  assert.equal(row.state, 'COMMITTED')
  await assertSwitchInvariants(sw)
})

test('an SDK client presenting the payee\'s certificate while naming itself the payer is refused with 3100, even with a valid payer signature', async () => {
  const transferId = randomUUID()
  // Signed with the payer's JWS key, so only the certificate gives it away.
  const forged = connector('sdkpayer', 'sdkpayee')
  await assert.rejects(forged.postTransfers(prepareBody(transferId, randomBytes(32).toString('base64url'), '30'), 'sdkpayee'), (error: any) => {
    // The SDK's HTTP requester rejects with the status and the parsed FSPIOP error body.
    assert.equal(error.statusCode, 400)
    assert.equal(error.response?.data?.errorInformation?.errorCode, '3100')
    return true
  })
  assert.equal(await sw.testDb.db('transfer').where({ id: transferId }).first(), undefined, 'nothing reserved')
  await assertSwitchInvariants(sw)
})
