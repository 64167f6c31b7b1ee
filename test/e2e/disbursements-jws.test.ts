// With the scheme's JWS on, POST /disbursements is authenticated as every FSPIOP request: the file must be
// signed by the key registered for its FSPIOP-Source, bound to the method, path and Date; an unsigned or
// altered file is refused with 3105 and nothing is created.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { startSwitch, type SwitchHarness } from '../support/switch-harness.ts'
import { call, onboardDfsp, setupHub } from '../support/fixtures.ts'
import { createMemoryBulkPayments } from '../support/memory-bulk-payments.ts'
import { signJws } from '../../switch/fspiop/jws.ts'
import { JWS_DATE_WINDOW_S } from '../../switch/config/config.ts'

const keys = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } })
let sw: SwitchHarness
before(async () => {
  sw = await startSwitch('e2e_disb_jws', { bulkPayments: createMemoryBulkPayments(), config: { jws: { sign: false, validateInbound: true, hubPrivateKeyFile: undefined, dateWindow_s: JWS_DATE_WINDOW_S } } })
  await setupHub(sw.admin, 'USD')
  await onboardDfsp(sw.admin, { name: 'jwsbank', ndc: '1000', fundsIn: '1000', endpointBase: 'http://127.0.0.1:9' })
  assert.equal((await call(sw.admin, 'PUT', '/participants/jwsbank/jwsKey', { publicKey: keys.publicKey })).status, 200)
})
after(async () => { await sw.stop() })

const CSV = 'id_type,id_value,amount,currency,name,reference\nMSISDN,2551,10,USD,Ann,r1\n'

function signedHeaders(id: string, body: string): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'text/csv', 'disbursement-id': id, 'fspiop-source': 'jwsbank', date: new Date().toUTCString(),
    'fspiop-uri': '/disbursements', 'fspiop-http-method': 'POST',
  }
  return { ...headers, 'fspiop-signature': signJws(headers, body, keys.privateKey) }
}
const post = (headers: Record<string, string>, body: string) => fetch(`${sw.apiUrl}/disbursements`, { method: 'POST', headers, body })
const created = async (id: string) => (await sw.testDb.db('disbursement').where({ id }).first()) !== undefined

test('a CSV signed with the payer\'s registered key is accepted', async () => {
  const r = await post(signedHeaders('jws-1', CSV), CSV)
  assert.equal(r.status, 202, await r.text())
  assert.ok(await created('jws-1'))
})

test('an unsigned file, or one changed after signing, is refused with 3105 and creates nothing', async () => {
  const { 'fspiop-signature': _dropped, ...unsigned } = signedHeaders('jws-2', CSV)
  const noSignature = await post(unsigned, CSV)
  assert.equal((await noSignature.json()).errorInformation.errorCode, '3105')
  const altered = await post(signedHeaders('jws-3', CSV), CSV.replace('10', '1000'))
  assert.equal((await altered.json()).errorInformation.errorCode, '3105')
  assert.equal(await created('jws-2'), false)
  assert.equal(await created('jws-3'), false)
})
