// A real Mojaloop DFSP connector from the npm registry (@mojaloop/sdk-standard-components'
// MojaloopRequests, with its own JWS signing) runs lookup, quote and transfer against Agora unchanged,
// with the scheme's JWS on: signed requests pass, unsigned or tampered ones get 3105, what one DFSP
// signed (quote, prepare; party answer, quote response, fulfil, error) reaches the other with the
// signature (and the Date it covers) intact, and the hub's own callbacks carry a signature the SDK's
// validator accepts.
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
import { assertSwitchInvariants } from '../support/switch-invariants.ts'

const sdk = createRequire(import.meta.url)('@mojaloop/sdk-standard-components')
const keyPair = () => generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } })
const keys = { hub: keyPair(), payer: keyPair(), payee: keyPair() }

let sw: SwitchHarness
let payer: TestDfsp
let payee: TestDfsp

before(async () => {
  const keyFile = path.join(mkdtempSync(path.join(tmpdir(), 'agora-jws-')), 'hub.pem')
  writeFileSync(keyFile, keys.hub.privateKey)
  sw = await startSwitch('connector', { config: { jws: { sign: true, validateInbound: true, hubPrivateKeyFile: keyFile, dateWindow_s: 300 } } })
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

/** What a Mojaloop SDK DFSP with VALIDATE_INBOUND_JWS checks what the switch passes on with. */
const validatorOf = (dfspId: string, publicKey: string) => new sdk.Jws.validator({ logger: sdk.Logger.loggerFactory({ context: {} }), validationKeys: { [dfspId]: publicKey } })
const payerValidator = () => validatorOf('mlpayer', keys.payer.publicKey)
const payeeValidator = () => validatorOf('mlpayee', keys.payee.publicKey)

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
  const partyAnswer = await payer.waitFor((c) => c.path === '/parties/MSISDN/255700000001')
  assert.equal(partyAnswer.body.party.name, 'Neema')
  assert.doesNotThrow(() => payeeValidator().validate({ headers: partyAnswer.headers, body: partyAnswer.body }), 'the payer gets the party lookup answer with the payee\'s signature intact')

  const quoteId = randomUUID()
  await connector('mlpayer').postQuotes({
    quoteId, transactionId: randomUUID(), amountType: 'SEND', amount: { amount: '40', currency: 'USD' },
    payee: { partyIdInfo: { partyIdType: 'MSISDN', partyIdentifier: '255700000001', fspId: 'mlpayee' } },
    payer: { partyIdInfo: { partyIdType: 'MSISDN', partyIdentifier: '255700000009', fspId: 'mlpayer' } },
    transactionType: { scenario: 'TRANSFER', initiator: 'PAYER', initiatorType: 'CONSUMER' },
  }, 'mlpayee')
  const quoteAsked = await payee.waitFor((c) => c.method === 'POST' && c.body?.quoteId === quoteId)
  assert.doesNotThrow(() => payerValidator().validate({ headers: quoteAsked.headers, body: quoteAsked.body }), 'the payee gets the quote with the payer\'s signature intact')
  const fulfilment = randomBytes(32).toString('base64url')
  const ilpPacket = randomBytes(40).toString('base64url')
  await connector('mlpayee').putQuotes(quoteId, { transferAmount: { amount: '40', currency: 'USD' }, expiration: new Date(Date.now() + 60_000).toISOString(), ilpPacket, condition: conditionOf(fulfilment) }, 'mlpayer')
  const quoted = await payer.waitFor((c) => c.path === `/quotes/${quoteId}`)
  assert.doesNotThrow(() => payeeValidator().validate({ headers: quoted.headers, body: quoted.body }), 'the payer gets the quote response with the payee\'s signature intact')

  const transferId = randomUUID()
  await connector('mlpayer').postTransfers({ transferId, payerFsp: 'mlpayer', payeeFsp: 'mlpayee', amount: { amount: '40', currency: 'USD' }, ilpPacket, condition: conditionOf(fulfilment), expiration: new Date(Date.now() + 60_000).toISOString() }, 'mlpayee')
  const prepared = await payee.waitFor((c) => c.method === 'POST' && c.body?.transferId === transferId)
  assert.doesNotThrow(() => payerValidator().validate({ headers: prepared.headers, body: prepared.body }), 'the payee gets the prepare with the payer\'s signature intact')
  await connector('mlpayee').putTransfers(transferId, { transferState: 'COMMITTED', fulfilment, completedTimestamp: new Date().toISOString() }, 'mlpayer')
  const committed = await payer.waitFor((c) => c.path === `/transfers/${transferId}`)
  assert.equal(committed.body.transferState, 'COMMITTED')
  assert.doesNotThrow(() => validatorOf('mlpayee', keys.payee.publicKey).validate({ headers: committed.headers, body: committed.body }), 'the payer gets the payee\'s answer with its signature intact')

  const rejectedId = randomUUID()
  await connector('mlpayer').postTransfers({ transferId: rejectedId, payerFsp: 'mlpayer', payeeFsp: 'mlpayee', amount: { amount: '5', currency: 'USD' }, ilpPacket, condition: conditionOf(fulfilment), expiration: new Date(Date.now() + 60_000).toISOString() }, 'mlpayee')
  await payee.waitFor((c) => c.method === 'POST' && c.body?.transferId === rejectedId)
  await connector('mlpayee').putTransfersError(rejectedId, { errorInformation: { errorCode: '5104', errorDescription: 'Payee rejected transaction' } }, 'mlpayer')
  const rejected = await payer.waitFor((c) => c.path === `/transfers/${rejectedId}/error`)
  assert.doesNotThrow(() => validatorOf('mlpayee', keys.payee.publicKey).validate({ headers: rejected.headers, body: rejected.body }), 'the payer gets the payee\'s error with its signature intact')
  await assertSwitchInvariants(sw)
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
  const validator = new sdk.Jws.validator({ logger: sdk.Logger.loggerFactory({ context: {} }), validationKeys: { Hub: keys.hub.publicKey } })
  assert.doesNotThrow(() => validator.validate({ headers: callback.headers, body: callback.body }), 'the hub signs what it originates')
})
