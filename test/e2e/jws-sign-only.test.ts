// A scheme that signs the hub's callbacks without requiring DFSPs to sign (AGORA_JWS_SIGN on,
// AGORA_VALIDATE_INBOUND_JWS off), as Mojaloop's JWS_SIGN and VALIDATE_INBOUND_JWS are separate: unsigned
// DFSP requests are accepted, and what the hub originates carries an FSPIOP-Signature that the Mojaloop
// SDK's validator accepts with the hub's public key. What a DFSP sends another is not signed by the hub.
// (Both on, unsigned requests get 3105: test/e2e/mojaloop-connector.test.ts.)
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { SwitchHarness } from '../support/switch-harness.ts'
import { startSwitchWithDfsps } from '../support/dfsp-pair.ts'
import type { TestDfsp } from '../support/dfsp-server.ts'
import { fspiopHeaders, newTransfer, prepare, send } from '../support/fspiop-client.ts'
import { assertSwitchInvariantsAfterEach } from '../support/switch-invariants.ts'

const sdk = createRequire(import.meta.url)('@mojaloop/sdk-standard-components')
const hubKeys = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } })
const hubValidator = () => new sdk.Jws.validator({ logger: sdk.Logger.loggerFactory({ context: {} }), validationKeys: { Hub: hubKeys.publicKey } })

let sw: SwitchHarness
let payer: TestDfsp
let payee: TestDfsp
let stop: () => Promise<void>

before(async () => {
  const keyFile = path.join(mkdtempSync(path.join(tmpdir(), 'agora-jws-sign-')), 'hub.pem')
  writeFileSync(keyFile, hubKeys.privateKey)
  ;({ sw, payer, payee, stop } = await startSwitchWithDfsps('jws_sign_only', ['signpayer', 'signpayee'], {
    config: { jws: { sign: true, validateInbound: false, hubPrivateKeyFile: keyFile, dateWindow_s: 300 } },
  }))
})
assertSwitchInvariantsAfterEach(() => sw)
after(async () => stop())

test('with signing on and inbound validation off, an unsigned DFSP request is accepted and the hub\'s callback is signed', async () => {
  const headers = fspiopHeaders('signpayer', undefined, '1.1', 'participants')
  const answer = await send(sw.apiUrl, 'POST', '/participants/MSISDN/255700000300', headers, { fspId: 'signpayer', currency: 'USD' })
  assert.equal(answer.status, 202, 'no FSPIOP-Signature needed')
  const callback = await payer.waitFor((c) => c.method === 'PUT' && c.path === '/participants/MSISDN/255700000300')
  assert.equal(typeof callback.headers['fspiop-signature'], 'string')
  assert.doesNotThrow(() => hubValidator().validate({ headers: callback.headers, body: callback.body }), 'the SDK accepts the hub\'s signature')
})

test('with signing on, the hub signs its transfer errors but does not sign a DFSP\'s prepare it passes on', async () => {
  const refused = newTransfer('signpayer', 'signpayee', '20000')
  assert.equal((await prepare(sw.apiUrl, refused)).status, 202)
  const error = await payer.waitFor((c) => c.path === `/transfers/${refused.transferId}/error`)
  assert.equal(error.headers['fspiop-source'], 'Hub')
  assert.doesNotThrow(() => hubValidator().validate({ headers: error.headers, body: error.body }))

  const passed = newTransfer('signpayer', 'signpayee', '10')
  assert.equal((await prepare(sw.apiUrl, passed)).status, 202)
  const forwarded = await payee.waitFor((c) => c.method === 'POST' && c.body?.transferId === passed.transferId)
  assert.equal(forwarded.headers['fspiop-source'], 'signpayer')
  assert.equal(forwarded.headers['fspiop-signature'], undefined, 'the payer sent none, and the hub signs only what it originates')
})
