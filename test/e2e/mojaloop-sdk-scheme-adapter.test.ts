// Mojaloop's own DFSP connector, the SDK scheme adapter 18.0.2 from the npm registry, runs unchanged as the
// payer's and the payee's connector against Agora: the payee registers its account through the SDK
// (POST /accounts -> Agora's /participants), the payer's core system makes one synchronous outbound
// POST /transfers, and the SDK does the party lookup, the quote and the transfer through Agora's FSPIOP
// API; the payee's SDK asks its backend (a small server here) for the party, the quote and the transfer.
// A second payer SDK, with auto-accept off, does the same in the two steps a core system confirms.
// The scheme's JWS is on both ways, as the SDK's defaults have it: Agora checks every SDK's signature, and
// each SDK checks the signature on what Agora forwards (the peer's) or originates (the hub's).
import { JWS_DATE_WINDOW_S } from '../../switch/config/config.ts'
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { generateKeyPairSync, randomInt, randomUUID } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { Decimal } from 'decimal.js'
import { startSwitch, type SwitchHarness } from '../support/switch-harness.ts'
import { call, onboardDfsp, setupHub } from '../support/fixtures.ts'
import { ensureMojaloopSdk, startSdkAdapter, type SdkAdapter } from '../support/mojaloop-sdk.ts'
import { startSdkBackend, type BackendParty, type SdkBackend } from '../support/sdk-backend.ts'
import { assertSwitchInvariants } from '../support/switch-invariants.ts'

// The SDK's party lookup waits on a Redis channel named by the party: a number of this run's own.
const payeeParty: BackendParty = { idType: 'MSISDN', idValue: `2557${randomInt(10_000_000, 99_999_999)}`, displayName: 'Neema Mushi', firstName: 'Neema', lastName: 'Mushi', dateOfBirth: '1990-04-12' }
const payerParty = { idType: 'MSISDN', idValue: '255711000007', displayName: 'Juma Bakari' }

let sw: SwitchHarness
let payerBackend: SdkBackend
let payeeBackend: SdkBackend
const sdks: SdkAdapter[] = []
let payer: SdkAdapter
let payee: SdkAdapter
let confirmingPayer: SdkAdapter
let failed = process.env.AGORA_SDK_LOGS === '1'
const jwsDir = mkdtempSync(path.join(tmpdir(), 'agora-sdk-jws-'))

async function outbound(sdk: SdkAdapter, method: 'POST' | 'PUT', path: string, body: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${sdk.outboundUrl}${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(90_000) })
  const text = await response.text()
  return { status: response.status, body: text ? JSON.parse(text) : undefined }
}

const position = async (name: string) => (await call(sw.admin, 'GET', `/participants/${name}/accounts`)).body.find((a: any) => a.ledgerAccountType === 'POSITION' && a.currency === 'USD')

/** Marks the run failed when the body throws, so that `after` prints every SDK's log. */
function printingSdkLogsOnFailure(body: () => Promise<void>): () => Promise<void> {
  return async () => {
    try {
      await body()
    } catch (err) {
      failed = true
      throw err
    }
  }
}

before(printingSdkLogsOnFailure(startAll))

/** RSA keys for the hub and each DFSP: private keys as files, public keys as `<name>.pem` in one folder. */
function jwsKeys(names: string[]) {
  const dir = jwsDir
  const verificationKeysDir = path.join(dir, 'public')
  mkdirSync(verificationKeysDir)
  const keys: Record<string, { publicKey: string; privateKeyFile: string }> = {}
  for (const name of names) {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } })
    writeFileSync(path.join(verificationKeysDir, `${name}.pem`), pair.publicKey)
    writeFileSync(path.join(dir, `${name}.key`), pair.privateKey)
    keys[name] = { publicKey: pair.publicKey, privateKeyFile: path.join(dir, `${name}.key`) }
  }
  return { keys, verificationKeysDir }
}

async function startAll() {
  const install = ensureMojaloopSdk()
  const dfspIds = ['sdkpayerfsp', 'sdkpayeefsp', 'sdkconfirmfsp']
  const { keys, verificationKeysDir } = jwsKeys(['Hub', ...dfspIds])
  sw = await startSwitch('sdkadapter', { config: { jws: { sign: true, validateInbound: true, hubPrivateKeyFile: keys.Hub.privateKeyFile, dateWindow_s: JWS_DATE_WINDOW_S } } })
  await setupHub(sw.admin, 'USD')
  payerBackend = await startSdkBackend([])
  payeeBackend = await startSdkBackend([payeeParty])
  const sdk = (dfspId: string, backend: SdkBackend, cacheDb: number, env?: Record<string, string>) => startSdkAdapter(install, {
    dfspId, peerEndpoint: sw.apiUrl.replace('http://', ''), backendEndpoint: backend.endpoint, cacheDb, env,
    jws: { signingKeyFile: keys[dfspId].privateKeyFile, verificationKeysDir },
  })
  sdks.push(payer = await sdk('sdkpayerfsp', payerBackend, 1))
  sdks.push(payee = await sdk('sdkpayeefsp', payeeBackend, 2))
  sdks.push(confirmingPayer = await sdk('sdkconfirmfsp', payerBackend, 3, { AUTO_ACCEPT_PARTY: 'false', AUTO_ACCEPT_QUOTES: 'false' }))
  for (const connector of sdks) {
    await onboardDfsp(sw.admin, { name: connector.dfspId, ndc: '1000', fundsIn: '1000', endpointBase: connector.inboundUrl })
    const registered = await call(sw.admin, 'PUT', `/participants/${connector.dfspId}/jwsKey`, { publicKey: keys[connector.dfspId].publicKey })
    assert.equal(registered.status, 200, JSON.stringify(registered.body))
  }
}

after(async () => {
  if (failed) for (const sdk of sdks) console.error(`--- logs of the SDK scheme adapter ${sdk.dfspId} ---\n${sdk.logs()}`)
  await Promise.all(sdks.map((sdk) => sdk.stop()))
  await payerBackend?.close()
  await payeeBackend?.close()
  await sw?.stop()
  rmSync(jwsDir, { recursive: true, force: true })
})

test("Mojaloop's SDK scheme adapter 18.0.2 as payer and payee completes a transfer through Agora: outbound POST /transfers reaches COMPLETED", printingSdkLogsOnFailure(async () => {

  const registered = await outbound(payee, 'POST', '/accounts', [{ idType: payeeParty.idType, idValue: payeeParty.idValue, currency: 'USD' }])
  assert.equal(registered.status, 200, `the payee's SDK registers its account on Agora's /participants: ${JSON.stringify(registered.body)}`)

  const homeTransactionId = randomUUID()
  const transfer = await outbound(payer, 'POST', '/transfers', {
    homeTransactionId, from: payerParty, to: { idType: payeeParty.idType, idValue: payeeParty.idValue },
    amountType: 'SEND', currency: 'USD', amount: '37.25', transactionType: 'TRANSFER', note: 'school fees',
  })
  assert.equal(transfer.status, 200, JSON.stringify(transfer.body))
  assert.equal(transfer.body.currentState, 'COMPLETED', JSON.stringify(transfer.body))
  assert.equal(transfer.body.to.fspId, 'sdkpayeefsp', 'the lookup through Agora found the payee DFSP')
  assert.deepEqual([transfer.body.to.firstName, transfer.body.to.lastName], ['Neema', 'Mushi'], "the party came from the payee's backend")
  assert.equal(transfer.body.quoteResponse.body.transferAmount.amount, '37.25')
  assert.equal(transfer.body.fulfil.body.transferState, 'COMMITTED')

  const transferId: string = transfer.body.transferId
  const backendTransfer = payeeBackend.calls.find((c) => c.method === 'POST' && c.path === '/transfers')
  assert.equal(backendTransfer?.body.transferId, transferId, "the payee's SDK told its backend of the incoming transfer")
  assert.ok(payeeBackend.calls.some((c) => c.method === 'POST' && c.path === '/quoterequests' && c.body.amount === '37.25'))
  assert.ok(payeeBackend.calls.some((c) => c.method === 'GET' && c.path === `/parties/MSISDN/${payeeParty.idValue}`))

  const row = await sw.testDb.db('transfer').where({ id: transferId }).first()
  assert.equal(row.state, 'COMMITTED', "the transfer committed on Agora's ledger")
  assert.equal((await position('sdkpayerfsp')).value, 37.25)
  assert.equal((await position('sdkpayeefsp')).value, -37.25)
  assert.equal((await position('sdkpayeefsp')).reservedValue, 0)
  await assertSwitchInvariants(sw)
}))

test("Mojaloop's SDK scheme adapter 18.0.2 without auto-accept waits for the payer to accept the party, then the quote, then completes the transfer through Agora", printingSdkLogsOnFailure(async () => {
  const payeeBefore = (await position('sdkpayeefsp')).value

  const started = await outbound(confirmingPayer, 'POST', '/transfers', {
    homeTransactionId: randomUUID(), from: { idType: 'MSISDN', idValue: '255711000099' }, to: { idType: payeeParty.idType, idValue: payeeParty.idValue },
    amountType: 'SEND', currency: 'USD', amount: '12.5', transactionType: 'TRANSFER',
  })
  assert.equal(started.status, 200, JSON.stringify(started.body))
  assert.equal(started.body.currentState, 'WAITING_FOR_PARTY_ACCEPTANCE', JSON.stringify(started.body))
  assert.equal(started.body.to.fspId, 'sdkpayeefsp')
  const transferId: string = started.body.transferId

  const quoted = await outbound(confirmingPayer, 'PUT', `/transfers/${transferId}`, { acceptParty: true })
  assert.equal(quoted.status, 200, JSON.stringify(quoted.body))
  assert.equal(quoted.body.currentState, 'WAITING_FOR_QUOTE_ACCEPTANCE', JSON.stringify(quoted.body))
  assert.equal(quoted.body.quoteResponse.body.transferAmount.amount, '12.5')
  assert.equal(await sw.testDb.db('transfer').where({ id: transferId }).first(), undefined, 'no transfer before the quote is accepted')

  const done = await outbound(confirmingPayer, 'PUT', `/transfers/${transferId}`, { acceptQuote: true })
  assert.equal(done.status, 200, JSON.stringify(done.body))
  assert.equal(done.body.currentState, 'COMPLETED', JSON.stringify(done.body))
  assert.equal((await sw.testDb.db('transfer').where({ id: transferId }).first()).state, 'COMMITTED')
  assert.equal((await position('sdkconfirmfsp')).value, 12.5)
  assert.equal((await position('sdkpayeefsp')).value, new Decimal(payeeBefore).minus('12.5').toNumber())
  await assertSwitchInvariants(sw)
}))
