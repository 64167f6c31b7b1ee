// A real Mojaloop DFSP connector from the npm registry (@mojaloop/sdk-standard-components'
// MojaloopRequests, with its own JWS signing) runs lookup, quote and transfer against Agora unchanged,
// with the scheme's JWS on: signed requests pass, unsigned or tampered ones get 3105, and the hub's own
// callbacks carry a signature the SDK's validator accepts.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { startSwitch, type SwitchHarness } from '../support/switch-harness.ts'
import { startTestDfsp, type TestDfsp } from '../support/dfsp-server.ts'
import { call, onboardDfsp, setupHub } from '../support/fixtures.ts'
import { fspiopHeaders, send } from '../support/fspiop-client.ts'
import { conditionOf } from '../../ledger/domain/fulfilment.ts'
import { signJws } from '../../switch/fspiop/jws.ts'
import { assertLedgerInvariants } from '../../ledger/invariants/ledger-invariants.ts'
import { pipelineInvariants } from '../../ledger/invariants/pipeline-invariants.ts'

const sdk = createRequire(import.meta.url)('@mojaloop/sdk-standard-components')
const keyPair = () => generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } })
const keys = { hub: keyPair(), payer: keyPair(), payee: keyPair() }

let sw: SwitchHarness
let payer: TestDfsp
let payee: TestDfsp

before(async () => {
  const keyFile = path.join(mkdtempSync(path.join(tmpdir(), 'agora-jws-')), 'hub.pem')
  writeFileSync(keyFile, keys.hub.privateKey)
  sw = await startSwitch('connector', { config: { jws: { enabled: true, hubPrivateKeyFile: keyFile } } })
  payer = await startTestDfsp('mlpayer')
  payee = await startTestDfsp('mlpayee')
  await setupHub(sw.admin, 'USD')
  await onboardDfsp(sw.admin, { name: 'mlpayer', ndc: '1000', fundsIn: '1000', endpointBase: payer.url })
  await onboardDfsp(sw.admin, { name: 'mlpayee', ndc: '1000', fundsIn: '1000', endpointBase: payee.url })
  assert.equal((await call(sw.admin, 'PUT', '/participants/mlpayer/jwsKey', { publicKey: keys.payer.publicKey })).status, 200)
  assert.equal((await call(sw.admin, 'PUT', '/participants/mlpayee/jwsKey', { publicKey: keys.payee.publicKey })).status, 200)
})
after(async () => {
  await sw.stop()
  await payer.close()
  await payee.close()
})

const validator = (keys: Record<string, string>) => new sdk.Jws.validator({ logger: sdk.Logger.loggerFactory({ context: {} }), validationKeys: keys })

const connector = (dfspId: 'mlpayer' | 'mlpayee') => new sdk.MojaloopRequests({
  logger: sdk.Logger.loggerFactory({ context: { app: 'agora-test' } }), dfspId, peerEndpoint: sw.apiUrl.replace('http://', ''),
  tls: { enabled: false }, jwsSign: true, jwsSignPutParties: true, jwsSigningKey: keys[dfspId === 'mlpayer' ? 'payer' : 'payee'].privateKey,
})

test('the Mojaloop connector runs lookup, quote and transfer, signed', async () => {
  await connector('mlpayee').postParticipants({ requestId: randomUUID(), partyList: [{ partyIdType: 'MSISDN', partyIdentifier: '255700000001', fspId: 'mlpayee' }], currency: 'USD' }, undefined)
  await payee.waitFor((c) => c.method === 'PUT' && c.body?.partyList?.[0]?.partyId?.partyIdentifier === '255700000001')

  await connector('mlpayer').getParties('MSISDN', '255700000001', undefined)
  await payee.waitFor((c) => c.method === 'GET' && c.path === '/parties/MSISDN/255700000001')
  await connector('mlpayee').putParties('MSISDN', '255700000001', undefined, { party: { partyIdInfo: { partyIdType: 'MSISDN', partyIdentifier: '255700000001', fspId: 'mlpayee' }, name: 'Neema' } }, 'mlpayer')
  assert.equal((await payer.waitFor((c) => c.path === '/parties/MSISDN/255700000001')).body.party.name, 'Neema')

  const quoteId = randomUUID()
  await connector('mlpayer').postQuotes({
    quoteId, transactionId: randomUUID(), amountType: 'SEND', amount: { amount: '40', currency: 'USD' },
    payee: { partyIdInfo: { partyIdType: 'MSISDN', partyIdentifier: '255700000001', fspId: 'mlpayee' } },
    payer: { partyIdInfo: { partyIdType: 'MSISDN', partyIdentifier: '255700000009', fspId: 'mlpayer' } },
    transactionType: { scenario: 'TRANSFER', initiator: 'PAYER', initiatorType: 'CONSUMER' },
  }, 'mlpayee')
  await payee.waitFor((c) => c.method === 'POST' && c.body?.quoteId === quoteId)
  const fulfilment = randomBytes(32).toString('base64url')
  const ilpPacket = randomBytes(40).toString('base64url')
  await connector('mlpayee').putQuotes(quoteId, { transferAmount: { amount: '40', currency: 'USD' }, expiration: new Date(Date.now() + 60_000).toISOString(), ilpPacket, condition: conditionOf(fulfilment) }, 'mlpayer')
  await payer.waitFor((c) => c.path === `/quotes/${quoteId}`)

  const transferId = randomUUID()
  await connector('mlpayer').postTransfers({ transferId, payerFsp: 'mlpayer', payeeFsp: 'mlpayee', amount: { amount: '40', currency: 'USD' }, ilpPacket, condition: conditionOf(fulfilment), expiration: new Date(Date.now() + 60_000).toISOString() }, 'mlpayee')
  const prepare = await payee.waitFor((c) => c.method === 'POST' && c.body?.transferId === transferId)
  assert.doesNotThrow(() => validator({ mlpayer: keys.payer.publicKey }).validate({ headers: prepare.headers, body: prepare.body }), "the prepare reaches the payee with the payer's signature, as Mojaloop forwards it")
  await connector('mlpayee').putTransfers(transferId, { transferState: 'COMMITTED', fulfilment, completedTimestamp: new Date().toISOString() }, 'mlpayer')
  const committed = await payer.waitFor((c) => c.path === `/transfers/${transferId}`)
  assert.equal(committed.body.transferState, 'COMMITTED')
  assert.doesNotThrow(() => validator({ mlpayee: keys.payee.publicKey }).validate({ headers: committed.headers, body: committed.body }), "the COMMITTED fulfil reaches the payer with the payee's signature")
  await assertLedgerInvariants(sw.testDb.db, pipelineInvariants())
})

test('unsigned and tampered requests are refused with 3105; hub callbacks are signed', async () => {
  const body = { fspId: 'mlpayer' }
  const headers = { ...fspiopHeaders('mlpayer', undefined, '1.1', 'participants'), 'fspiop-uri': '/participants/MSISDN/1', 'fspiop-http-method': 'POST' }
  const unsigned = await send(sw.apiUrl, 'POST', '/participants/MSISDN/1', headers, body)
  assert.equal(unsigned.status, 401)
  assert.equal(unsigned.body.errorInformation.errorCode, '3105')
  const signature = signJws(headers, JSON.stringify(body), keys.payer.privateKey)
  const tampered = await send(sw.apiUrl, 'POST', '/participants/MSISDN/1', { ...headers, 'fspiop-signature': signature }, { fspId: 'mlpayee' })
  assert.equal(tampered.body.errorInformation.errorCode, '3105')
  const signed = await send(sw.apiUrl, 'POST', '/participants/MSISDN/1', { ...headers, 'fspiop-signature': signature }, body)
  assert.equal(signed.status, 202)
  const callback = await payer.waitFor((c) => c.path === '/participants/MSISDN/1' && c.method === 'PUT')
  assert.doesNotThrow(() => validator({ Hub: keys.hub.publicKey }).validate({ headers: callback.headers, body: callback.body }), 'the hub signs what it originates')
})

test("a forwarded prepare and quote keep the sender's Date, which its signature covers", async () => {
  // Signed a few seconds before it is forwarded: a fresh Date would no longer match the signature's.
  const sentAt = new Date(Date.now() - 5_000).toUTCString()
  const signed = (resource: string, path: string, body: unknown) => {
    const headers = { ...fspiopHeaders('mlpayer', 'mlpayee', '1.1', resource), date: sentAt, 'fspiop-uri': path, 'fspiop-http-method': 'POST' }
    return { ...headers, 'fspiop-signature': signJws(headers, JSON.stringify(body), keys.payer.privateKey) }
  }
  const keptAsSent = (forwarded: { headers: Record<string, unknown>; body: unknown }, sent: Record<string, string>, body: unknown) => {
    for (const name of ['date', 'fspiop-signature', 'fspiop-uri', 'fspiop-http-method', 'fspiop-source', 'fspiop-destination']) assert.equal(forwarded.headers[name], sent[name], name)
    assert.equal(JSON.stringify(forwarded.body), JSON.stringify(body))
  }
  const quote = {
    quoteId: randomUUID(), transactionId: randomUUID(), amountType: 'SEND', amount: { amount: '5', currency: 'USD' },
    payee: { partyIdInfo: { partyIdType: 'MSISDN', partyIdentifier: '255700000001', fspId: 'mlpayee' } },
    payer: { partyIdInfo: { partyIdType: 'MSISDN', partyIdentifier: '255700000009', fspId: 'mlpayer' } },
    transactionType: { scenario: 'TRANSFER', initiator: 'PAYER', initiatorType: 'CONSUMER' },
  }
  const quoteHeaders = signed('quotes', '/quotes', quote)
  assert.equal((await send(sw.apiUrl, 'POST', '/quotes', quoteHeaders, quote)).status, 202)
  keptAsSent(await payee.waitFor((c) => c.method === 'POST' && c.body?.quoteId === quote.quoteId), quoteHeaders, quote)

  const fulfilment = randomBytes(32).toString('base64url')
  const prepare = { transferId: randomUUID(), payerFsp: 'mlpayer', payeeFsp: 'mlpayee', amount: { amount: '5', currency: 'USD' }, ilpPacket: randomBytes(40).toString('base64url'), condition: conditionOf(fulfilment), expiration: new Date(Date.now() + 60_000).toISOString() }
  const prepareHeaders = signed('transfers', '/transfers', prepare)
  assert.equal((await send(sw.apiUrl, 'POST', '/transfers', prepareHeaders, prepare)).status, 202)
  keptAsSent(await payee.waitFor((c) => c.method === 'POST' && c.body?.transferId === prepare.transferId), prepareHeaders, prepare)
})
