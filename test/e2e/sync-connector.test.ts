// Two banks whose cores can make one HTTP call pay each other through synchronous-API connectors and the
// real switch: lookup, quote (with a real ILP v4 packet and condition) and transfer in one POST /payments.
// Each connector has its own database; each core is a simulated backend with its own books. Bad input
// changes nothing; a repeated request pays once; a connector restarted mid-payment resolves it with
// GET /transfers/{id} and pays once.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes, randomUUID } from 'node:crypto'
import { startSwitch, type SwitchHarness } from '../support/switch-harness.ts'
import { call as admin, onboardDfsp, setupHub } from '../support/fixtures.ts'
import { SimulatedCore, call } from '../support/sync-core.ts'
import { startSdkBackend, type SdkBackend } from '../support/sdk-backend.ts'
import { startSyncConnector, type SyncConnector } from '../../adapters/sync-api/sync-connector.ts'
import type { SyncConnectorConfig } from '../../adapters/sync-api/sync-config.ts'
import { loadConfig } from '../../switch/config/config.ts'
import { openDb } from '../../ledger/store/db.ts'
import { silentLogger } from '../../switch/observability/logger.ts'
import { assertLedgerInvariants } from '../../ledger/invariants/ledger-invariants.ts'
import { pipelineInvariants } from '../../switch/invariants/pipeline-invariants.ts'
import { Decimal } from '../../ledger/domain/money.ts'

const POLL_ATTEMPTS_MAX = 200
const POLL_INTERVAL_MS = 50
const PAYER = '255711000001'
const PAYEE = '255722000002'
const SDK_PAYEE = '255733000003'

let sw: SwitchHarness
const cores: Record<string, SimulatedCore> = {}
const connectors: Record<string, SyncConnector> = {}
const configs: Record<string, SyncConnectorConfig> = {}
const databases: string[] = []
let sdkCore: SdkBackend

function configFor(fspId: string, backendUrl: string, fspiopPort = 0): SyncConnectorConfig {
  const database = `agora_connector_${fspId}_${randomBytes(3).toString('hex')}`
  databases.push(database)
  return {
    connector: {
      fspId, switchUrl: sw.apiUrl, fspiopVersion: '1.1', fspiop: { host: '127.0.0.1', port: fspiopPort },
      db: { ...loadConfig().db, database, poolMax: 5 }, ilpSecret: `${fspId}-ilp-secret`, ilpAddress: `g.agora.${fspId}`,
      autoAcceptParty: true, autoAcceptQuote: true,
    },
    api: { host: '127.0.0.1', port: 0 }, backendUrl, logLevel: 'silent',
  }
}

async function bank(fspId: string, customer: string, balance: string, ndc: string): Promise<void> {
  const core = (cores[fspId] = new SimulatedCore([{ idType: 'MSISDN', idValue: customer, displayName: `Customer ${customer}`, balance }]))
  await core.start()
  configs[fspId] = configFor(fspId, core.backendUrl)
  const running = (connectors[fspId] = await startSyncConnector(configs[fspId], silentLogger()))
  await onboardDfsp(sw.admin, { name: fspId, ndc, fundsIn: '100000', endpointBase: running.connector.fspiopUrl })
  const registered = await call(running.apiUrl, 'POST', `/parties/MSISDN/${customer}`)
  assert.equal(registered.status, 200, JSON.stringify(registered.body))
}

const position = async (name: string) => new Decimal((await admin(sw.admin, 'GET', `/participants/${name}/positions?currency=USD`)).body.value)
const balanceOf = (fspId: string, customer: string) => cores[fspId]!.accounts.get(customer)!.balance.toFixed()
const api = (fspId: string) => connectors[fspId]!.apiUrl

async function eventually(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < POLL_ATTEMPTS_MAX && !(await check()); i++) await new Promise((r) => setTimeout(r, POLL_INTERVAL_MS))
  assert.ok(await check(), what)
}

async function committedTransfers(transferId: string): Promise<number> {
  const rows = await sw.testDb.db('transfer').where({ id: transferId }).count({ n: '*' })
  return Number(rows[0]!.n)
}

before(async () => {
  sw = await startSwitch('syncconn')
  await setupHub(sw.admin, 'USD')
  await bank('syncbanka', PAYER, '100000', '1000')
  await bank('syncbankb', PAYEE, '0', '1000')
  // A core built for Mojaloop's SDK scheme adapter, its backend API unchanged.
  sdkCore = await startSdkBackend([{ idType: 'MSISDN', idValue: SDK_PAYEE, displayName: 'Sdk Customer', firstName: 'Sdk', lastName: 'Customer', dateOfBirth: '1990-01-01' }])
  configs.syncbankc = configFor('syncbankc', `http://${sdkCore.endpoint}`)
  connectors.syncbankc = await startSyncConnector(configs.syncbankc, silentLogger())
  await onboardDfsp(sw.admin, { name: 'syncbankc', ndc: '1000', fundsIn: '100000', endpointBase: connectors.syncbankc.connector.fspiopUrl })
  assert.equal((await call(api('syncbankc'), 'POST', `/parties/MSISDN/${SDK_PAYEE}`)).status, 200)
})
after(async () => {
  for (const c of Object.values(connectors)) await c.stop()
  for (const c of Object.values(cores)) await c.close()
  await sdkCore?.close()
  const db = openDb({ ...loadConfig().db, database: '' })
  for (const name of databases) await db.raw('DROP DATABASE IF EXISTS ??', [name])
  await db.destroy()
  await sw.stop()
})

test('one POST /payments runs lookup, quote and transfer; both cores, both connectors and the switch agree', async () => {
  const transferId = randomUUID()
  const answer = await cores.syncbanka!.pay(api('syncbanka'), { transferId, from: PAYER, to: PAYEE, amount: '100.25', homeTransactionId: 'core-ref-1' })
  assert.equal(answer.status, 200, JSON.stringify(answer.body))
  assert.equal(answer.body.currentState, 'COMPLETED')
  assert.equal(answer.body.to.fspId, 'syncbankb')
  assert.equal(answer.body.to.displayName, `Customer ${PAYEE}`)
  assert.deepEqual(answer.body.quoteResponse.body.transferAmount, { amount: '100.25', currency: 'USD' })
  assert.equal(answer.body.fulfil.body.fulfilment.length, 43)
  assert.equal(balanceOf('syncbanka', PAYER), '99899.75')
  await eventually(() => balanceOf('syncbankb', PAYEE) === '100.25', 'the payee core books the credit when the switch says COMMITTED')
  assert.equal(cores.syncbanka!.pendingCount + cores.syncbankb!.pendingCount, 0)
  assert.ok((await position('syncbanka')).equals('100.25'))
  assert.ok((await position('syncbankb')).equals('-100.25'))
  const inbound = await connectors.syncbankb!.connector.db('inbound_messages').where({ kind: 'transfer', message_id: transferId }).first()
  assert.equal(inbound.state, 'COMMITTED')
  const read = await call(api('syncbanka'), 'GET', `/payments/${transferId}`)
  assert.equal(read.body.currentState, 'COMPLETED')
  await assertLedgerInvariants(sw.testDb.db, pipelineInvariants())
})

test('the same POST /payments again (same transferId) answers the same payment and pays nothing more', async () => {
  const transferId = randomUUID()
  const first = await call(api('syncbanka'), 'POST', '/payments', { transferId, from: { idType: 'MSISDN', idValue: PAYER }, to: { idType: 'MSISDN', idValue: PAYEE }, amountType: 'SEND', currency: 'USD', amount: '3' })
  const again = await call(api('syncbanka'), 'POST', '/payments', { transferId, from: { idType: 'MSISDN', idValue: PAYER }, to: { idType: 'MSISDN', idValue: PAYEE }, amountType: 'SEND', currency: 'USD', amount: '3' })
  assert.equal(first.body.currentState, 'COMPLETED')
  assert.deepEqual(again.body, first.body)
  assert.equal(await committedTransfers(transferId), 1)
  assert.deepEqual(cores.syncbankb!.creditRequests.filter((id) => id === transferId), [transferId], 'the payee core was asked for the credit once')
})

test('a two-step payment waits for the core to accept the party, then the quote (PUT /transfers/{id})', async () => {
  const transferId = randomUUID()
  const body = { transferId, from: { idType: 'MSISDN', idValue: PAYER }, to: { idType: 'MSISDN', idValue: PAYEE }, amountType: 'SEND', currency: 'USD', amount: '7.5', autoAcceptParty: false, autoAcceptQuote: false }
  const started = await call(api('syncbanka'), 'POST', '/transfers', body)
  assert.equal(started.status, 200)
  assert.equal(started.body.currentState, 'WAITING_FOR_PARTY_ACCEPTANCE')
  assert.equal(started.body.getPartiesResponse.body.party.partyIdInfo.fspId, 'syncbankb')
  const quoted = await call(api('syncbanka'), 'PUT', `/transfers/${transferId}`, { acceptParty: true })
  assert.equal(quoted.body.currentState, 'WAITING_FOR_QUOTE_ACCEPTANCE')
  assert.deepEqual(quoted.body.quoteResponse.body.transferAmount, { amount: '7.5', currency: 'USD' })
  assert.equal(await committedTransfers(transferId), 0, 'nothing is prepared before the quote is accepted')
  const done = await call(api('syncbanka'), 'PUT', `/transfers/${transferId}`, { acceptQuote: true })
  assert.equal(done.body.currentState, 'COMPLETED')
  const refused = await call(api('syncbanka'), 'PUT', `/transfers/${transferId}`, { acceptQuote: true })
  assert.equal(refused.status, 400, 'a completed payment has nothing to accept')
  await assertLedgerInvariants(sw.testDb.db, pipelineInvariants())
})

test('bad input changes nothing: unknown payee 404 3204, wrong scale 400 3100, missing field 400 3102, over the net debit cap 422 4200', async () => {
  const booksBefore = [balanceOf('syncbanka', PAYER), balanceOf('syncbankb', PAYEE)]
  const positions = [await position('syncbanka'), await position('syncbankb')]
  const unknown = await cores.syncbanka!.pay(api('syncbanka'), { transferId: randomUUID(), from: PAYER, to: '255700000999', amount: '1' })
  assert.equal(unknown.status, 404)
  assert.equal(unknown.body.statusCode, '3204')
  assert.equal(unknown.body.transferState.currentState, 'ERROR_OCCURRED')
  const scale = await cores.syncbanka!.pay(api('syncbanka'), { transferId: randomUUID(), from: PAYER, to: PAYEE, amount: '1.001' })
  assert.equal(scale.status, 400)
  assert.equal(scale.body.statusCode, '3100')
  assert.match(scale.body.message, /decimals/)
  const missing = await call(api('syncbanka'), 'POST', '/payments', { from: { idType: 'MSISDN', idValue: PAYER }, amountType: 'SEND', currency: 'USD', amount: '1' })
  assert.equal(missing.status, 400)
  assert.equal(missing.body.statusCode, '3102')
  const tooMuch = await cores.syncbanka!.pay(api('syncbanka'), { transferId: randomUUID(), from: PAYER, to: PAYEE, amount: '5000' })
  assert.equal(tooMuch.status, 422, JSON.stringify(tooMuch.body))
  assert.equal(tooMuch.body.statusCode, '4200', 'Payer limit error: the net debit cap')
  assert.deepEqual([balanceOf('syncbanka', PAYER), balanceOf('syncbankb', PAYEE)], booksBefore)
  assert.ok((await position('syncbanka')).equals(positions[0]!))
  assert.ok((await position('syncbankb')).equals(positions[1]!))
  assert.equal(cores.syncbanka!.pendingCount + cores.syncbankb!.pendingCount, 0)
  await assertLedgerInvariants(sw.testDb.db, pipelineInvariants())
})

test('a payer connector restarted mid-payment resolves it with GET /transfers/{id}: paid once, both cores agree', async () => {
  const transferId = randomUUID()
  const payeeBefore = new Decimal(balanceOf('syncbankb', PAYEE))
  const totalBefore = cores.syncbanka!.total().plus(cores.syncbankb!.total())
  let release!: () => void
  cores.syncbankb!.creditGate = new Promise<void>((r) => { release = r })
  const credits = () => cores.syncbankb!.backendCalls.filter((c) => c.method === 'POST' && c.path === '/transfers').length
  const creditsBefore = credits()
  const paying = cores.syncbanka!.pay(api('syncbanka'), { transferId, from: PAYER, to: PAYEE, amount: '12.34' })
  await eventually(() => credits() > creditsBefore, 'the prepare reached the payee core')
  const port = Number(new URL(connectors.syncbanka!.connector.fspiopUrl).port)
  await connectors.syncbanka!.stop()
  const lost = await paying
  assert.ok(lost.status === -1 || lost.status === 202 || lost.status >= 500, `the core does not learn the outcome: ${lost.status}`)
  release()
  cores.syncbankb!.creditGate = undefined
  await eventually(async () => (await sw.testDb.db('transfer').where({ id: transferId }).first())?.state === 'COMMITTED', 'the switch commits while the payer connector is down')
  const restarted = (connectors.syncbanka = await startSyncConnector({ ...configs.syncbanka!, connector: { ...configs.syncbanka!.connector, fspiop: { host: '127.0.0.1', port } } }, silentLogger()))
  assert.equal(restarted.connector.recoveredAtStart, 1, 'the restart found the payment in flight and asked the switch')
  await eventually(async () => (await call(restarted.apiUrl, 'GET', `/payments/${transferId}`)).body.currentState === 'COMPLETED', 'the payment resolves COMPLETED')
  const reconciled = await cores.syncbanka!.reconcile(restarted.apiUrl, transferId)
  assert.equal(reconciled.body.currentState, 'COMPLETED')
  await eventually(() => new Decimal(balanceOf('syncbankb', PAYEE)).equals(payeeBefore.plus('12.34')), 'the payee is credited once')
  assert.deepEqual(cores.syncbankb!.creditRequests.filter((id) => id === transferId), [transferId])
  assert.equal(await committedTransfers(transferId), 1)
  assert.equal(cores.syncbanka!.pendingCount + cores.syncbankb!.pendingCount, 0)
  const total = cores.syncbanka!.total().plus(cores.syncbankb!.total())
  assert.ok(total.equals(totalBefore), `money is neither made nor lost across both cores: ${total}`)
  await assertLedgerInvariants(sw.testDb.db, pipelineInvariants())
})

test('a core built for the SDK scheme adapter backend API is paid unchanged: parties, quoterequests and transfers as the SDK sends them', async () => {
  const transferId = randomUUID()
  const answer = await cores.syncbanka!.pay(api('syncbanka'), { transferId, from: PAYER, to: SDK_PAYEE, amount: '4.2' })
  assert.equal(answer.status, 200, JSON.stringify(answer.body))
  assert.equal(answer.body.currentState, 'COMPLETED')
  assert.equal(answer.body.to.displayName, 'Sdk Customer')
  const calls = sdkCore.calls.map((c) => `${c.method} ${c.path.split('/').slice(0, 2).join('/')} ${c.status}`)
  for (const expected of ['GET /parties 200', 'POST /quoterequests 200', 'POST /transfers 200']) assert.ok(calls.includes(expected), `${expected} in ${calls}`)
  const credit = sdkCore.calls.find((c) => c.method === 'POST' && c.path === '/transfers')!
  assert.equal(credit.body.transferId, transferId)
  assert.equal(credit.body.amount, '4.2')
  assert.equal(credit.body.ilpPacket.data.payee.partyIdInfo.partyIdentifier, SDK_PAYEE)
  await eventually(async () => (await connectors.syncbankc!.connector.db('inbound_messages').where({ kind: 'transfer', message_id: transferId }).first())?.state === 'COMMITTED',
    'the payee connector finishes the transfer though the core takes no final notification')
  await assertLedgerInvariants(sw.testDb.db, pipelineInvariants())
})
