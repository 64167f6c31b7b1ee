// With the scheme's JWS on, the GSMA connector's batch submission (POST /disbursements) is signed like its
// other FSPIOP requests, with the key registered for the MMP: the real switch takes it; the same batch from a
// connector without the key is refused with 3105 (in the GSMA format the platform hears) and creates nothing.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { startSwitch, type SwitchHarness } from '../support/switch-harness.ts'
import { call, onboardDfsp, setupHub } from '../support/fixtures.ts'
import { createMemoryBulkPayments } from '../support/memory-bulk-payments.ts'
import { JWS_DATE_WINDOW_S } from '../../switch/config/config.ts'
import { createDisbursementClient } from '../../adapters/gsma-mmp/disbursement-client.ts'
import { GsmaError } from '../../adapters/gsma-mmp/gsma-errors.ts'

const keys = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } })
const BATCH = JSON.stringify({ batchTitle: 'signed', transactions: [{ amount: '10', currency: 'USD', creditParty: [{ key: 'msisdn', value: '255700000001' }], requestingOrganisationTransactionReference: 'r-1' }] })
let sw: SwitchHarness

before(async () => {
  sw = await startSwitch('e2e_gsma_batch_jws', { bulkPayments: createMemoryBulkPayments(), config: { jws: { sign: false, validateInbound: true, hubPrivateKeyFile: undefined, dateWindow_s: JWS_DATE_WINDOW_S } } })
  await setupHub(sw.admin, 'USD')
  await onboardDfsp(sw.admin, { name: 'jwsmmp', ndc: '1000', fundsIn: '1000', endpointBase: 'http://127.0.0.1:9' })
  assert.equal((await call(sw.admin, 'PUT', '/participants/jwsmmp/jwsKey', { publicKey: keys.publicKey })).status, 200)
})
after(async () => { await sw.stop() })

const created = async (id: string) => (await sw.testDb.db('disbursement').where({ id }).first()) !== undefined

test('a batch submitted by a connector with the MMP\'s signing key is signed and taken by the switch; its status reads back', async () => {
  const client = createDisbursementClient({ switchUrl: sw.apiUrl, fspId: 'jwsmmp', jwsPrivateKeyPem: keys.privateKey })
  await client.submit('gsma-jws-1', BATCH)
  assert.ok(await created('gsma-jws-1'))
  assert.equal((await client.status('gsma-jws-1'))?.total, 1)
})

test('the same batch from a connector without the key is refused with the switch\'s 3105 as a GSMA error, and nothing is created', async () => {
  const client = createDisbursementClient({ switchUrl: sw.apiUrl, fspId: 'jwsmmp' })
  await assert.rejects(client.submit('gsma-jws-2', BATCH), (error: unknown) => {
    assert.ok(error instanceof GsmaError)
    assert.ok(error.parameters.some((p) => p.key === 'fspiopErrorCode' && p.value === '3105'), JSON.stringify(error.parameters))
    return true
  })
  assert.equal(await created('gsma-jws-2'), false)
})
