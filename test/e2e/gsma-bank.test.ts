// A bank on a synchronous-API connector and an MMP on a GSMA connector pay each other through the real
// switch; and a GSMA connector stopped mid-payment finds the transfer again after its restart (connector
// core recovery, GET /transfers/{id}) and still owes, and delivers, its callback: paid once, books agree.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes, randomUUID } from 'node:crypto'
import { startSwitch, type SwitchHarness } from '../support/switch-harness.ts'
import { onboardDfsp, setupHub } from '../support/fixtures.ts'
import { assertSwitchInvariants } from '../support/switch-invariants.ts'
import { GsmaNetwork, eventually } from '../support/gsma-network.ts'
import { SimulatedCore, call } from '../support/sync-core.ts'
import { startSyncConnector, type SyncConnector } from '../../adapters/sync-api/sync-connector.ts'
import { startGsmaConnector } from '../../adapters/gsma-mmp/gsma-connector.ts'
import { loadConfig } from '../../switch/config/config.ts'
import { openDb } from '../../ledger/store/db.ts'
import { silentLogger } from '../../switch/observability/logger.ts'
import { Decimal } from '../../ledger/domain/money.ts'

const CUSTOMER = '255755500005'
const WALLET = '255766600006'
const PAYEE_WALLET = '255777700007'
let sw: SwitchHarness
let net: GsmaNetwork
let core: SimulatedCore
let bank: SyncConnector
const bankDb = `agora_connector_gsmabank_${randomBytes(3).toString('hex')}`

before(async () => {
  sw = await startSwitch('gsmabank')
  await setupHub(sw.admin, 'USD')
  net = new GsmaNetwork(sw)
  await net.mmp('gsmawallet', { [WALLET]: '500' })
  await net.mmp('gsmawalletb', { [PAYEE_WALLET]: '0' })
  core = new SimulatedCore([{ idType: 'MSISDN', idValue: CUSTOMER, displayName: 'Bank Customer', balance: '1000' }])
  await core.start()
  bank = await startSyncConnector({
    connector: {
      fspId: 'gsmabank', switchUrl: sw.apiUrl, fspiopVersion: '1.1', fspiop: { host: '127.0.0.1', port: 0 },
      db: { ...loadConfig().db, database: bankDb, poolMax: 5 }, ilpSecret: 'gsmabank-ilp-secret', autoAcceptParty: true, autoAcceptQuote: true,
    },
    api: { host: '127.0.0.1', port: 0 }, backendUrl: core.backendUrl, logLevel: 'silent',
  }, silentLogger())
  await onboardDfsp(sw.admin, { name: 'gsmabank', ndc: '1000', fundsIn: '100000', endpointBase: bank.connector.fspiopUrl })
  assert.equal((await call(bank.apiUrl, 'POST', `/parties/MSISDN/${CUSTOMER}`)).status, 200)
})
after(async () => {
  await bank?.stop()
  await core?.close()
  await net?.close()
  const db = openDb({ ...loadConfig().db, database: '' })
  await db.raw('DROP DATABASE IF EXISTS ??', [bankDb])
  await db.destroy()
  await sw?.stop()
})

test('a synchronous-API bank pays a wallet: one POST /payments, the GSMA connector posts the credit to the MMP’s own POST /transactions/type/transfer', async () => {
  const transferId = randomUUID()
  const answer = await core.pay(bank.apiUrl, { transferId, from: CUSTOMER, to: WALLET, amount: '40.5' })
  assert.equal(answer.status, 200, JSON.stringify(answer.body))
  assert.equal(answer.body.currentState, 'COMPLETED')
  assert.equal(answer.body.to.displayName, `Wallet ${WALLET}`, 'the name the MMP’s accountname API gave')
  const credit = net.mmps.gsmawallet!.creditRequests.find((c) => c.body.requestingOrganisationTransactionReference === transferId)!
  assert.equal(credit.correlationId, transferId, 'a UUID transfer id is the X-CorrelationID of the credit')
  assert.deepEqual([credit.body.amount, credit.body.currency, credit.body.creditParty], ['40.5', 'USD', [{ key: 'msisdn', value: WALLET }]])
  assert.equal(net.mmps.gsmawallet!.balance(WALLET), '540.5')
  assert.equal(core.accounts.get(CUSTOMER)!.balance.toFixed(), '959.5')
  await eventually(async () => (await net.connectors.gsmawallet!.connector.db('gsma_payee_credits').where({ transfer_id: transferId }).first())?.state === 'COMMITTED', 'the credit is committed')
  await assertSwitchInvariants(sw)
})

test('the wallet pays the bank back: 202, the bank core books the credit on COMMITTED, the completed transaction reaches the MMP’s callback URL', async () => {
  const paid = await net.mmps.gsmawallet!.pay(net.api('gsmawallet'), { from: WALLET, to: CUSTOMER, amount: '15.75' })
  assert.equal(paid.status, 202, JSON.stringify(paid.body))
  const callback = await net.callbackFor('gsmawallet', paid.cid)
  assert.equal(callback.body.transactionStatus, 'completed', JSON.stringify(callback.body))
  assert.equal(callback.body.receivingServiceProvider, 'gsmabank')
  assert.equal(net.mmps.gsmawallet!.balance(WALLET), '524.75')
  await eventually(() => core.accounts.get(CUSTOMER)!.balance.toFixed() === '975.25', 'the bank core books the credit')
  assert.equal(core.pendingCount + net.mmps.gsmawallet!.pendingCount, 0)
  await assertSwitchInvariants(sw)
})

test('a GSMA connector stopped mid-payment resolves it after its restart (GET /transfers/{id}) and delivers the callback it owes: paid once, both platforms agree', async () => {
  const payer = net.mmps.gsmawallet!
  const payee = net.mmps.gsmawalletb!
  const totalBefore = payer.total().plus(payee.total())
  let release!: () => void
  payee.creditGate = new Promise<void>((r) => { release = r })
  const creditsBefore = payee.creditRequests.length
  const paid = await payer.pay(net.api('gsmawallet'), { from: WALLET, to: PAYEE_WALLET, amount: '9.99' })
  assert.equal(paid.status, 202)
  const transferId = paid.body.objectReference as string
  await eventually(() => payee.creditRequests.length > creditsBefore || payee.creditGate === undefined, 'the credit reached the payee platform')
  const config = net.configs.gsmawallet!
  const port = Number(new URL(net.connectors.gsmawallet!.connector.fspiopUrl).port)
  const apiPort = Number(new URL(net.api('gsmawallet')).port)
  await net.connectors.gsmawallet!.stop()
  release()
  payee.creditGate = undefined
  await eventually(async () => (await sw.testDb.db('transfer').where({ id: transferId }).first())?.state === 'COMMITTED', 'the switch commits while the payer connector is down')
  assert.equal(payer.callbacks.get(paid.cid), undefined, 'no callback while the connector was down')
  net.connectors.gsmawallet = await startGsmaConnector({ ...config, api: { host: '127.0.0.1', port: apiPort }, connector: { ...config.connector, fspiop: { host: '127.0.0.1', port } } }, silentLogger())
  assert.equal(net.connectors.gsmawallet.connector.recoveredAtStart, 1, 'the restart found the transfer in flight')
  const callback = await net.callbackFor('gsmawallet', paid.cid)
  assert.equal(callback.body.transactionStatus, 'completed', JSON.stringify(callback.body))
  assert.equal(Number((await sw.testDb.db('transfer').where({ id: transferId }).count({ n: '*' }))[0]!.n), 1)
  assert.equal(payee.creditRequests.filter((c) => c.body.requestingOrganisationTransactionReference === transferId).length, 1, 'credited once')
  assert.ok(payer.total().plus(payee.total()).equals(totalBefore), 'money is neither made nor lost across both platforms')
  assert.equal(payee.balance(PAYEE_WALLET), '9.99')
  assert.ok(new Decimal(payer.balance(WALLET)).equals(new Decimal('524.75').minus('9.99')))
  assert.equal(payer.pendingCount, 0)
  await assertSwitchInvariants(sw)
})
