// With the scheme's JWS on, a signature is bound to the request that carries it (the FSPIOP API's
// Signature §3.3: FSPIOP-URI is the request's URL, FSPIOP-HTTP-Method its method) and to a recent Date:
// a payee's signed rejection of transfer X, replayed onto transfer Y, is refused with 3105 and Y still
// commits; so is the same replay with the FSPIOP-URI header (or the protected header) rewritten, and a
// signature with a stale Date. Requests signed by the Mojaloop SDK itself (POST and PUT) pass, and the
// hub's own callbacks sign the method, path and Date they are really sent with.
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
import { fspiopHeaders } from '../support/fspiop-client.ts'
import { conditionOf } from '../../ledger/domain/fulfilment.ts'
import { JWS_DATE_WINDOW_S } from '../../switch/config/config.ts'
import { assertSwitchInvariantsAfterEach } from '../support/switch-invariants.ts'

const sdk = createRequire(import.meta.url)('@mojaloop/sdk-standard-components')
const logger = () => sdk.Logger.loggerFactory({ context: { app: 'agora-test' } })
const keyPair = () => generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } })
const keys = { hub: keyPair(), rpayer: keyPair(), rpayee: keyPair() }

let sw: SwitchHarness
let payer: TestDfsp
let payee: TestDfsp

before(async () => {
  const keyFile = path.join(mkdtempSync(path.join(tmpdir(), 'agora-jws-replay-')), 'hub.pem')
  writeFileSync(keyFile, keys.hub.privateKey)
  sw = await startSwitch('jws_replay', { config: { jws: { sign: true, validateInbound: true, hubPrivateKeyFile: keyFile, dateWindow_s: JWS_DATE_WINDOW_S } } })
  payer = await startTestDfsp('rpayer')
  payee = await startTestDfsp('rpayee')
  await setupHub(sw.admin, 'USD')
  for (const [name, dfsp] of [['rpayer', payer], ['rpayee', payee]] as const) {
    await onboardDfsp(sw.admin, { name, ndc: '1000', fundsIn: '1000', endpointBase: dfsp.url })
    assert.equal((await call(sw.admin, 'PUT', `/participants/${name}/jwsKey`, { publicKey: keys[name].publicKey })).status, 200)
  }
})
assertSwitchInvariantsAfterEach(() => sw)
after(async () => {
  await sw.stop()
  await payer.close()
  await payee.close()
})

const connector = (dfspId: 'rpayer' | 'rpayee') => new sdk.MojaloopRequests({
  logger: logger(), dfspId, peerEndpoint: sw.apiUrl.replace('http://', ''), tls: { enabled: false }, jwsSign: true, jwsSigningKey: keys[dfspId].privateKey,
})
const stateOf = async (id: string) => (await sw.testDb.db('transfer').where({ id }).first())?.state
const ledgerEntries = async () => Number((await sw.testDb.db('journal_entry').count({ n: '*' }).first())?.n)

/** A request as the Mojaloop SDK's own signer signs it (method, URL, Date and body as given). */
function signedBySdk(dfspId: 'rpayer' | 'rpayee', method: 'PUT' | 'POST', fspiopPath: string, body: unknown, date = new Date()) {
  const headers: Record<string, string> = { ...fspiopHeaders(dfspId, dfspId === 'rpayee' ? 'rpayer' : 'rpayee'), date: date.toUTCString() }
  if (method === 'PUT') delete headers.accept
  const options = { method, uri: `${sw.apiUrl}${fspiopPath}`, headers, body }
  new sdk.Jws.signer({ logger: logger(), signingKey: keys[dfspId].privateKey }).sign(options)
  return { headers: options.headers, body: options.body as unknown as string }
}

async function sendRaw(method: string, fspiopPath: string, m: { headers: Record<string, string>; body: string }) {
  const response = await fetch(`${sw.apiUrl}${fspiopPath}`, { method, headers: m.headers, body: m.body })
  const text = await response.text()
  return { status: response.status, body: text ? JSON.parse(text) : undefined }
}

/** The payer prepares a transfer with the SDK (a signed POST), and the payee gets it. */
async function prepared(amount: string) {
  const fulfilment = randomBytes(32).toString('base64url')
  const transferId = randomUUID()
  await connector('rpayer').postTransfers({
    transferId, payerFsp: 'rpayer', payeeFsp: 'rpayee', amount: { amount, currency: 'USD' }, ilpPacket: randomBytes(40).toString('base64url'),
    condition: conditionOf(fulfilment), expiration: new Date(Date.now() + 60_000).toISOString(),
  }, 'rpayee')
  await payee.waitFor((c) => c.method === 'POST' && c.body?.transferId === transferId)
  return { transferId, fulfilment }
}

const refusedAs3105 = (answer: { status: number; body: any }, detail: RegExp) => {
  assert.equal(answer.status, 401)
  assert.equal(answer.body.errorInformation.errorCode, '3105')
  assert.match(answer.body.errorInformation.errorDescription, /^Invalid signature - /)
  assert.match(answer.body.errorInformation.errorDescription, detail)
}

test('a payee\'s signed rejection of transfer X, replayed onto transfer Y, is refused with 3105 and Y still commits', async () => {
  const x = await prepared('7')
  const y = await prepared('8')
  const rejection = { errorInformation: { errorCode: '5104', errorDescription: 'Payee rejected transaction' } }
  const rejectionOfX = signedBySdk('rpayee', 'PUT', `/transfers/${x.transferId}/error`, rejection)
  assert.equal((await sendRaw('PUT', `/transfers/${x.transferId}/error`, rejectionOfX)).status, 200, 'the rejection is good for X')
  await payer.waitFor((c) => c.path === `/transfers/${x.transferId}/error`)

  const entries = await ledgerEntries()
  refusedAs3105(await sendRaw('PUT', `/transfers/${y.transferId}/error`, rejectionOfX), new RegExp(`signed FSPIOP-URI /transfers/${x.transferId}/error is not the request's path`))
  const headerRewritten = { ...rejectionOfX, headers: { ...rejectionOfX.headers, 'fspiop-uri': `/transfers/${y.transferId}/error` } }
  refusedAs3105(await sendRaw('PUT', `/transfers/${y.transferId}/error`, headerRewritten), /signed FSPIOP-URI/)
  const signature = JSON.parse(rejectionOfX.headers['fspiop-signature']!)
  const claims = { ...JSON.parse(Buffer.from(signature.protectedHeader, 'base64url').toString()), 'FSPIOP-URI': `/transfers/${y.transferId}/error` }
  const protectedRewritten = { ...headerRewritten, headers: { ...headerRewritten.headers, 'fspiop-signature': JSON.stringify({ ...signature, protectedHeader: Buffer.from(JSON.stringify(claims)).toString('base64url') }) } }
  refusedAs3105(await sendRaw('PUT', `/transfers/${y.transferId}/error`, protectedRewritten), /the signature does not verify/)
  assert.equal(await stateOf(y.transferId), 'RESERVED', 'Y is untouched')
  assert.equal(await ledgerEntries(), entries, 'nothing changed on the ledger')

  await connector('rpayee').putTransfers(y.transferId, { transferState: 'COMMITTED', fulfilment: y.fulfilment, completedTimestamp: new Date().toISOString() }, 'rpayer')
  assert.equal((await payer.waitFor((c) => c.path === `/transfers/${y.transferId}`)).body.transferState, 'COMMITTED')
  assert.equal(await stateOf(y.transferId), 'COMMITTED')
  assert.equal(await stateOf(x.transferId), 'ABORTED')
})

test('a signature whose Date is older than the window is refused with 3105, however fresh the Date header', async () => {
  const z = await prepared('9')
  const rejection = { errorInformation: { errorCode: '5104', errorDescription: 'Payee rejected transaction' } }
  const stale = signedBySdk('rpayee', 'PUT', `/transfers/${z.transferId}/error`, rejection, new Date(Date.now() - (JWS_DATE_WINDOW_S + 60) * 1000))
  refusedAs3105(await sendRaw('PUT', `/transfers/${z.transferId}/error`, stale), /signed Date is \d+ s from the switch's clock \(more than 300 s\)/)
  const freshHeader = { ...stale, headers: { ...stale.headers, date: new Date().toUTCString() } }
  refusedAs3105(await sendRaw('PUT', `/transfers/${z.transferId}/error`, freshHeader), /Date header does not match the signed Date/)
  const early = signedBySdk('rpayee', 'PUT', `/transfers/${z.transferId}/error`, rejection, new Date(Date.now() + (JWS_DATE_WINDOW_S + 60) * 1000))
  refusedAs3105(await sendRaw('PUT', `/transfers/${z.transferId}/error`, early), /more than 300 s/)
  assert.equal(await stateOf(z.transferId), 'RESERVED')
  const fresh = signedBySdk('rpayee', 'PUT', `/transfers/${z.transferId}/error`, rejection)
  assert.equal((await sendRaw('PUT', `/transfers/${z.transferId}/error`, fresh)).status, 200, 'signed now, the same rejection passes')
  await payer.waitFor((c) => c.path === `/transfers/${z.transferId}/error`)
})

test('the hub\'s own callbacks sign the method, path and Date they are sent with, and the SDK\'s validator accepts them', async () => {
  const refused = await sendRaw('POST', '/transfers', signedBySdk('rpayer', 'POST', '/transfers', {
    transferId: randomUUID(), payerFsp: 'rpayer', payeeFsp: 'rpayee', amount: { amount: '5000', currency: 'USD' }, ilpPacket: randomBytes(40).toString('base64url'),
    condition: conditionOf(randomBytes(32).toString('base64url')), expiration: new Date(Date.now() + 60_000).toISOString(),
  }))
  assert.equal(refused.status, 202, 'a signed POST /transfers over the net debit cap is accepted, then refused by callback')
  const error = await payer.waitFor((c) => c.method === 'PUT' && c.path.endsWith('/error') && c.headers['fspiop-source'] === 'Hub')
  const claims = JSON.parse(Buffer.from(JSON.parse(String(error.headers['fspiop-signature'])).protectedHeader, 'base64url').toString())
  assert.equal(claims['FSPIOP-URI'], error.path, 'the path the payer got, without its endpoint\'s base path')
  assert.equal(claims['FSPIOP-HTTP-Method'], 'PUT')
  assert.equal(claims.Date, error.headers.date)
  assert.ok(Math.abs(Date.parse(claims.Date) - Date.now()) < 60_000)
  const validator = new sdk.Jws.validator({ logger: logger(), validationKeys: { Hub: keys.hub.publicKey } })
  assert.doesNotThrow(() => validator.validate({ headers: error.headers, body: error.body }))
})
