// A wallet on a GSMA connector and a customer of a bank whose core speaks ISO 20022 XML pay each other through
// the real switch. Wallet → bank: the MMP platform's POST /transactions/type/transfer is answered 202 with a
// pending request state, the bank core takes the pacs.008 credit from its ISO connector, the completed
// transaction is PUT to the X-Callback-URL, and GET /requeststates and GET /transactions answer as the GSMA
// API says. Bank → wallet: the core's pacs.008 goes through the ISO connector and the switch, the GSMA
// connector posts the credit to the MMP's own API, and the bank gets pacs.002 ACSC. Both books, the switch's
// positions and the ledger's invariants agree.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { startSwitch, type SwitchHarness } from '../support/switch-harness.ts'
import { call as admin, setupHub } from '../support/fixtures.ts'
import { assertSwitchInvariantsAfterEach } from '../support/switch-invariants.ts'
import { GsmaNetwork, eventually } from '../support/gsma-network.ts'
import { send } from '../support/simulated-mmp.ts'
import { dropIsoDatabases, startIsoBank, type IsoBank } from '../support/iso-banks.ts'
import { readDocument } from '../../adapters/iso20022-bank/iso-xml.ts'
import { readPacs008 } from '../../adapters/iso20022-bank/pacs008.ts'
import { Decimal } from '../../ledger/domain/money.ts'

const WALLET = '255788800008'
const CUSTOMER = '255799900009'
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

let sw: SwitchHarness
let net: GsmaNetwork
let bank: IsoBank

const position = async (name: string) => new Decimal((await admin(sw.admin, 'GET', `/participants/${name}/positions?currency=USD`)).body.value)

before(async () => {
  sw = await startSwitch('gsmaiso')
  await setupHub(sw.admin, 'USD')
  net = new GsmaNetwork(sw)
  await net.mmp('gsmaisowallet', { [WALLET]: '300' })
  bank = await startIsoBank(sw, 'gsmaisobank', [{ idType: 'MSISDN', idValue: CUSTOMER, name: 'Iso Customer', balance: '1000' }])
})
after(async () => {
  await bank?.connector.stop()
  await bank?.core.close()
  await dropIsoDatabases()
  await net?.close()
  await sw?.stop()
})
assertSwitchInvariantsAfterEach(() => sw)

test('a wallet pays an ISO 20022 bank customer: 202 with a pending request state, the bank core takes the pacs.008, the completed transaction is PUT to the callback URL', async () => {
  const platform = net.mmps.gsmaisowallet!
  const before = [await position('gsmaisowallet'), await position('gsmaisobank')]
  const paid = await platform.pay(net.api('gsmaisowallet'), { from: WALLET, to: CUSTOMER, amount: '120.40', extra: { requestingOrganisationTransactionReference: 'MMP-REF-1' } })
  assert.equal(paid.status, 202, JSON.stringify(paid.body))
  assert.match(String(paid.headers['content-type']), /^application\/json/)
  assert.ok(paid.headers['x-date'], 'every response carries X-Date')
  assert.equal(paid.body.status, 'pending')
  assert.equal(paid.body.notificationMethod, 'callback')
  assert.match(paid.body.serverCorrelationId!, UUID)
  const transactionReference = paid.body.objectReference!

  const callback = await net.callbackFor('gsmaisowallet', paid.cid)
  assert.equal(callback.headers['x-correlationid'], paid.cid, 'the callback carries the request’s X-CorrelationID')
  assert.match(String(callback.headers['content-type']), /^application\/json/)
  const t = callback.body
  assert.deepEqual([t.transactionStatus, t.transactionReference, t.type, t.amount, t.currency], ['completed', transactionReference, 'transfer', '120.40', 'USD'])
  assert.deepEqual([t.debitParty, t.creditParty], [[{ key: 'msisdn', value: WALLET }], [{ key: 'msisdn', value: CUSTOMER }]])
  assert.equal(t.receivingServiceProvider, 'gsmaisobank')
  assert.equal(t.requestingOrganisationTransactionReference, 'MMP-REF-1')

  const credit = bank.core.received.find((m) => m.type === 'pacs.008')
  assert.ok(credit, 'the bank core received a pacs.008')
  const delivered = readPacs008(readDocument(credit.xml))
  assert.ok(delivered.ok)
  assert.deepEqual([delivered.transfer.amount, delivered.transfer.currency, delivered.transfer.creditor.idValue, delivered.transfer.uetr], ['120.40', 'USD', CUSTOMER, transactionReference])

  const state = await send(net.api('gsmaisowallet'), 'GET', `/requeststates/${paid.body.serverCorrelationId}`)
  assert.equal(state.status, 200)
  assert.deepEqual([state.body.serverCorrelationId, state.body.status, state.body.objectReference, state.body.notificationMethod], [paid.body.serverCorrelationId, 'completed', transactionReference, 'callback'])
  const transaction = await send(net.api('gsmaisowallet'), 'GET', `/transactions/${transactionReference}`)
  assert.equal(transaction.status, 200)
  assert.deepEqual([transaction.body.transactionReference, transaction.body.transactionStatus, transaction.body.amount], [transactionReference, 'completed', '120.40'])

  assert.equal(platform.balance(WALLET), '179.6')
  await eventually(() => bank.core.balance(CUSTOMER) === '1120.4', 'the bank core books the credit on its camt.054')
  assert.equal(platform.pendingCount + bank.core.pendingCount, 0)
  assert.ok((await position('gsmaisowallet')).minus(before[0]!).equals('120.40'))
  assert.ok((await position('gsmaisobank')).minus(before[1]!).equals('-120.40'))
})

test('the bank customer pays the wallet back: pacs.008 → ISO connector → switch → the GSMA connector posts the credit to the MMP’s own API; pacs.002 ACSC to the bank', async () => {
  const platform = net.mmps.gsmaisowallet!
  const before = [await position('gsmaisowallet'), await position('gsmaisobank')]
  const totalBefore = platform.total().plus(bank.core.total())
  const uetr = randomUUID()
  const answer = await bank.core.pay(bank.connector.apiUrl, bank.core.creditTransfer({ msgId: 'ISO-TO-WALLET-1', uetr, from: CUSTOMER, to: WALLET, amount: '20.4' }))
  assert.equal(answer.status, 'ACSC', answer.info)

  const credit = platform.creditRequests.find((c) => c.body.requestingOrganisationTransactionReference === uetr)
  assert.ok(credit, 'the credit was posted to the MMP’s POST /transactions/type/transfer')
  assert.equal(credit.correlationId, uetr, 'the UETR (the FSPIOP transfer id) is the X-CorrelationID of the credit')
  assert.deepEqual([credit.body.amount, credit.body.currency, credit.body.creditParty], ['20.4', 'USD', [{ key: 'msisdn', value: WALLET }]])
  assert.equal(platform.balance(WALLET), '200')
  assert.equal(bank.core.balance(CUSTOMER), '1100')
  assert.ok(platform.total().plus(bank.core.total()).equals(totalBefore), 'money is neither made nor lost across both books')
  await eventually(async () => (await net.connectors.gsmaisowallet!.connector.db('gsma_payee_credits').where({ transfer_id: uetr }).first())?.state === 'COMMITTED', 'the credit is committed')
  assert.equal(platform.pendingCount + bank.core.pendingCount, 0)
  assert.ok((await position('gsmaisobank')).minus(before[1]!).equals('20.4'))
  assert.ok((await position('gsmaisowallet')).minus(before[0]!).equals('-20.4'))
})
