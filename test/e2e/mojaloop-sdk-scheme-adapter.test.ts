// Mojaloop's own DFSP connector, the SDK scheme adapter 18.0.2 from the npm registry, runs unchanged as the
// payer's and the payee's connector against Agora: the payee registers its account through the SDK
// (POST /accounts -> Agora's /participants), the payer's core system makes one synchronous outbound
// POST /transfers, and the SDK does the party lookup, the quote and the transfer through Agora's FSPIOP
// API; the payee's SDK asks its backend (a small server here) for the party, the quote and the transfer.
// A second payer SDK, with auto-accept off, does the same in the two steps a core system confirms.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomInt, randomUUID } from 'node:crypto'
import { Decimal } from 'decimal.js'
import { startSwitch, type SwitchHarness } from '../support/switch-harness.ts'
import { call, onboardDfsp, setupHub } from '../support/fixtures.ts'
import { ensureMojaloopSdk, startSdkAdapter, type SdkAdapter } from '../support/mojaloop-sdk.ts'
import { startSdkBackend, type BackendParty, type SdkBackend } from '../support/sdk-backend.ts'
import { assertLedgerInvariants } from '../../ledger/invariants/ledger-invariants.ts'
import { pipelineInvariants } from '../../ledger/invariants/pipeline-invariants.ts'

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

async function outbound(sdk: SdkAdapter, method: 'POST' | 'PUT', path: string, body: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(`${sdk.outboundUrl}${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(60_000) })
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

async function startAll() {
  const install = ensureMojaloopSdk()
  sw = await startSwitch('sdkadapter')
  await setupHub(sw.admin, 'USD')
  payerBackend = await startSdkBackend([])
  payeeBackend = await startSdkBackend([payeeParty])
  const peerEndpoint = sw.apiUrl.replace('http://', '')
  payer = await startSdkAdapter(install, { dfspId: 'sdkpayerfsp', peerEndpoint, backendEndpoint: payerBackend.endpoint, cacheDb: 1 })
  sdks.push(payer)
  payee = await startSdkAdapter(install, { dfspId: 'sdkpayeefsp', peerEndpoint, backendEndpoint: payeeBackend.endpoint, cacheDb: 2 })
  sdks.push(payee)
  confirmingPayer = await startSdkAdapter(install, {
    dfspId: 'sdkconfirmfsp', peerEndpoint, backendEndpoint: payerBackend.endpoint, cacheDb: 3,
    env: { AUTO_ACCEPT_PARTY: 'false', AUTO_ACCEPT_QUOTES: 'false' },
  })
  sdks.push(confirmingPayer)
  await onboardDfsp(sw.admin, { name: 'sdkpayerfsp', ndc: '1000', fundsIn: '1000', endpointBase: payer.inboundUrl })
  await onboardDfsp(sw.admin, { name: 'sdkpayeefsp', ndc: '1000', fundsIn: '1000', endpointBase: payee.inboundUrl })
  await onboardDfsp(sw.admin, { name: 'sdkconfirmfsp', ndc: '1000', fundsIn: '1000', endpointBase: confirmingPayer.inboundUrl })
}

after(async () => {
  if (failed) for (const sdk of sdks) console.error(`--- logs of the SDK scheme adapter ${sdk.dfspId} ---\n${sdk.logs()}`)
  await Promise.all(sdks.map((sdk) => sdk.stop()))
  await payerBackend?.close()
  await payeeBackend?.close()
  await sw?.stop()
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
  assert.equal((await position('sdkpayerfsp')).value, '37.25')
  assert.equal((await position('sdkpayeefsp')).value, '-37.25')
  assert.equal((await position('sdkpayeefsp')).reservedValue, '0')
  await assertLedgerInvariants(sw.testDb.db, pipelineInvariants())
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
  assert.equal((await position('sdkconfirmfsp')).value, '12.5')
  assert.equal((await position('sdkpayeefsp')).value, new Decimal(payeeBefore).minus('12.5').toString())
  await assertLedgerInvariants(sw.testDb.db, pipelineInvariants())
}))
