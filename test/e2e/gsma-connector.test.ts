// Two mobile money providers pay each other through GSMA Mobile Money API connectors and the real switch,
// Kafka and MariaDB. Each platform calls its connector as it would call another MMP (GSMA API v1.2) and
// keeps its own books; the payee connector posts each credit to its MMP's own GSMA API. The test names
// give the specification's behaviour they check.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { startSwitch, type SwitchHarness } from '../support/switch-harness.ts'
import { call as admin, setupHub } from '../support/fixtures.ts'
import { assertSwitchInvariants } from '../support/switch-invariants.ts'
import { GsmaNetwork, eventually } from '../support/gsma-network.ts'
import { send } from '../support/simulated-mmp.ts'
import { Decimal } from '../../ledger/domain/money.ts'

const PAYER = '255711100001'
const PAYEE = '255722200002'
let sw: SwitchHarness
let net: GsmaNetwork

const position = async (name: string) => new Decimal((await admin(sw.admin, 'GET', `/participants/${name}/positions?currency=USD`)).body.value)
const transfersNamed = async (id: string) => Number((await sw.testDb.db('transfer').where({ id }).count({ n: '*' }))[0]!.n)

before(async () => {
  sw = await startSwitch('gsmaconn')
  await setupHub(sw.admin, 'USD')
  net = new GsmaNetwork(sw)
  await net.mmp('gsmammpa', { [PAYER]: '100000' })
  await net.mmp('gsmammpb', { [PAYEE]: '0' })
})
after(async () => {
  await net?.close()
  await sw?.stop()
})

test('GET /accounts/msisdn/{msisdn}/accountname answers the Account Holder Name object of the payee MMP, with X-Date; an unknown account is 404 identifierError', async () => {
  const found = await send(net.api('gsmammpa'), 'GET', `/accounts/msisdn/${PAYEE}/accountname`)
  assert.equal(found.status, 200, JSON.stringify(found.body))
  assert.deepEqual(found.body, { name: { firstName: 'Wallet', lastName: PAYEE, fullName: `Wallet ${PAYEE}` } })
  assert.ok(!Number.isNaN(Date.parse(String(found.headers['x-date']))), 'X-Date response header')
  assert.match(String(found.headers['content-type']), /^application\/json; charset=utf-8/)
  const multiple = await send(net.api('gsmammpa'), 'GET', `/accounts/walletid@w1$msisdn@${PAYEE}/accountname`)
  assert.equal(multiple.status, 200, 'the multiple identifiers path')
  const unknown = await send(net.api('gsmammpa'), 'GET', '/accounts/msisdn/255700000999/accountname')
  assert.equal(unknown.status, 404)
  assert.equal(unknown.body.errorCategory, 'identification')
  assert.equal(unknown.body.errorCode, 'identifierError')
})

test('POST /transactions/type/transfer answers 202 with a pending request state; the completed transaction is PUT to X-Callback-URL with the X-CorrelationID; both books and the switch agree', async () => {
  const before = [await position('gsmammpa'), await position('gsmammpb')]
  const paid = await net.mmps.gsmammpa!.pay(net.api('gsmammpa'), { from: PAYER, to: PAYEE, amount: '100.50' })
  assert.equal(paid.status, 202, JSON.stringify(paid.body))
  assert.equal(paid.body.status, 'pending')
  assert.equal(paid.body.notificationMethod, 'callback')
  assert.match(String(paid.body.serverCorrelationId), /^[0-9a-f-]{36}$/)
  const reference = paid.body.objectReference!
  const callback = await net.callbackFor('gsmammpa', paid.cid)
  assert.equal(callback.headers['x-correlationid'], paid.cid, 'the original correlation id is placed in the callback')
  assert.equal(callback.body.transactionStatus, 'completed', JSON.stringify(callback.body))
  assert.equal(callback.body.transactionReference, reference)
  assert.equal(callback.body.amount, '100.50')
  assert.deepEqual(callback.body.creditParty, [{ key: 'msisdn', value: PAYEE }])
  assert.equal(net.mmps.gsmammpa!.balance(PAYER), '99899.5')
  assert.equal(net.mmps.gsmammpb!.balance(PAYEE), '100.5')
  assert.ok((await position('gsmammpa')).minus(before[0]!).equals('100.5'))
  assert.ok((await position('gsmammpb')).minus(before[1]!).equals('-100.5'))
  const state = await send(net.api('gsmammpa'), 'GET', `/requeststates/${paid.body.serverCorrelationId}`)
  assert.deepEqual([state.status, state.body.status, state.body.objectReference], [200, 'completed', reference])
  const transaction = await send(net.api('gsmammpa'), 'GET', `/transactions/${reference}`)
  assert.deepEqual([transaction.status, transaction.body.transactionStatus], [200, 'completed'])
  const missing = await send(net.api('gsmammpa'), 'GET', `/responses/${paid.cid}`)
  assert.deepEqual(missing.body, { link: `/transactions/${reference}` }, 'Missing Response Retrieval links the created resource')
  await eventually(async () => (await net.connectors.gsmammpb!.connector.db('inbound_messages').where({ kind: 'transfer', message_id: reference! }).first())?.state === 'COMMITTED', 'the payee connector hears COMMITTED')
  await assertSwitchInvariants(sw)
})

test('the same X-CorrelationID twice is one payment: the second POST is 400 businessRule duplicateRequest and nothing more is paid', async () => {
  const cid = randomUUID()
  const first = await net.mmps.gsmammpa!.pay(net.api('gsmammpa'), { from: PAYER, to: PAYEE, amount: '3', cid })
  const again = await net.mmps.gsmammpa!.pay(net.api('gsmammpa'), { from: PAYER, to: PAYEE, amount: '3', cid })
  assert.equal(first.status, 202)
  assert.equal(again.status, 400)
  assert.deepEqual([again.body.errorCategory, again.body.errorCode], ['businessRule', 'duplicateRequest'])
  const callback = await net.callbackFor('gsmammpa', cid)
  assert.equal(callback.body.transactionStatus, 'completed')
  assert.equal(await transfersNamed(first.body.objectReference!), 1)
  await new Promise((r) => setTimeout(r, 300))
  assert.equal(net.mmps.gsmammpa!.callbacks.get(cid)!.length, 1, 'one callback')
  assert.equal(net.mmps.gsmammpb!.creditRequests.filter((c) => c.body.requestingOrganisationTransactionReference === first.body.objectReference).length, 1, 'one credit at the payee MMP')
})

test('POST /quotations answers 202; the Quotation object is PUT to X-Callback-URL; a transfer naming its quotationReference pays that quote', async () => {
  const cid = randomUUID()
  const body = { requestAmount: '20.00', requestCurrency: 'USD', debitParty: [{ key: 'msisdn', value: PAYER }], creditParty: [{ key: 'msisdn', value: PAYEE }] }
  const asked = await send(net.api('gsmammpa'), 'POST', '/quotations', body, { 'x-correlationid': cid, 'x-callback-url': net.mmps.gsmammpa!.callbackUrl(cid) })
  assert.equal(asked.status, 202, JSON.stringify(asked.body))
  assert.equal(asked.body.status, 'pending')
  const quotation = (await net.callbackFor('gsmammpa', cid)).body
  assert.equal(quotation.quotationStatus, 'completed', JSON.stringify(quotation))
  assert.equal(quotation.quotationReference, asked.body.objectReference)
  assert.deepEqual([quotation.quotes?.[0]?.sendingAmount, quotation.quotes?.[0]?.receivingAmount, quotation.quotes?.[0]?.receivingServiceProvider], ['20', '20', 'gsmammpb'])
  const payeeBefore = new Decimal(net.mmps.gsmammpb!.balance(PAYEE))
  const paid = await net.mmps.gsmammpa!.pay(net.api('gsmammpa'), { from: PAYER, to: PAYEE, amount: '20', extra: { internationalTransferInformation: { originCountry: 'TZ', quotationReference: quotation.quotationReference } } })
  assert.equal(paid.status, 202, JSON.stringify(paid.body))
  assert.equal((await net.callbackFor('gsmammpa', paid.cid)).body.transactionStatus, 'completed')
  assert.ok(new Decimal(net.mmps.gsmammpb!.balance(PAYEE)).equals(payeeBefore.plus(20)))
  const reused = await net.mmps.gsmammpa!.pay(net.api('gsmammpa'), { from: PAYER, to: PAYEE, amount: '20', extra: { internationalTransferInformation: { originCountry: 'TZ', quotationReference: quotation.quotationReference } } })
  assert.deepEqual([reused.status, reused.body.errorCode], [400, 'incorrectState'], 'a quotation pays once')
  await assertSwitchInvariants(sw)
})

test('a payee MMP answering 202 and a callback (asynchronous credit) completes the transfer the same way', async () => {
  net.mmps.gsmammpb!.creditMode = 'async'
  try {
    const paid = await net.mmps.gsmammpa!.pay(net.api('gsmammpa'), { from: PAYER, to: PAYEE, amount: '7.25' })
    const callback = await net.callbackFor('gsmammpa', paid.cid)
    assert.equal(callback.body.transactionStatus, 'completed', JSON.stringify(callback.body))
    const credit = await net.connectors.gsmammpb!.connector.db('gsma_payee_credits').where({ transfer_id: paid.body.objectReference }).first()
    await eventually(async () => (await net.connectors.gsmammpb!.connector.db('gsma_payee_credits').where({ transfer_id: paid.body.objectReference }).first())?.state === 'COMMITTED', 'the credit is committed')
    assert.ok(credit)
  } finally {
    net.mmps.gsmammpb!.creditMode = 'sync'
  }
  await assertSwitchInvariants(sw)
})

test('a failed transfer is PUT to X-Callback-URL as the error object: an unknown payee is identification/identifierError, over the net debit cap businessRule/accountMaxTotalValueExceeded; nothing moves', async () => {
  const books = [net.mmps.gsmammpa!.balance(PAYER), net.mmps.gsmammpb!.balance(PAYEE)]
  const positions = [await position('gsmammpa'), await position('gsmammpb')]
  const unknown = await net.mmps.gsmammpa!.pay(net.api('gsmammpa'), { from: PAYER, to: '255700000999', amount: '1' })
  assert.equal(unknown.status, 202)
  const lost = (await net.callbackFor('gsmammpa', unknown.cid)).body
  assert.deepEqual([lost.errorCategory, lost.errorCode], ['identification', 'identifierError'], JSON.stringify(lost))
  assert.deepEqual(lost.errorParameters, [{ key: 'fspiopErrorCode', value: '3204' }])
  const tooMuch = await net.mmps.gsmammpa!.pay(net.api('gsmammpa'), { from: PAYER, to: PAYEE, amount: '5000' })
  const capped = (await net.callbackFor('gsmammpa', tooMuch.cid)).body
  assert.deepEqual([capped.errorCategory, capped.errorCode], ['businessRule', 'accountMaxTotalValueExceeded'], JSON.stringify(capped))
  const state = await send(net.api('gsmammpa'), 'GET', `/requeststates/${tooMuch.body.serverCorrelationId}`)
  assert.equal(state.body.status, 'failed')
  assert.equal(state.body.error?.errorCode, 'accountMaxTotalValueExceeded', 'a failed request state carries the error object in `error`')
  assert.equal((await send(net.api('gsmammpa'), 'GET', `/transactions/${tooMuch.body.objectReference}`)).body.transactionStatus, 'failed')
  assert.deepEqual([net.mmps.gsmammpa!.balance(PAYER), net.mmps.gsmammpb!.balance(PAYEE)], books)
  assert.ok((await position('gsmammpa')).equals(positions[0]!))
  assert.ok((await position('gsmammpb')).equals(positions[1]!))
  assert.equal(net.mmps.gsmammpa!.pendingCount, 0, 'the payer platform released its holds on the error callbacks')
  await assertSwitchInvariants(sw)
})

test('a callback the platform refuses (503) is tried again with backoff until it answers 204, and delivered once', async () => {
  const platform = net.mmps.gsmammpa!
  platform.callbackRefusals = 2
  const refusedBefore = platform.refusedCallbacks
  const paid = await platform.pay(net.api('gsmammpa'), { from: PAYER, to: PAYEE, amount: '1.10' })
  const callback = await net.callbackFor('gsmammpa', paid.cid)
  assert.equal(callback.body.transactionStatus, 'completed')
  assert.equal(platform.refusedCallbacks - refusedBefore, 2, 'two refused tries before the delivery')
  // The connector records the delivery once the platform's 204 is back, just after the platform took it.
  const delivery = async () => {
    const row = await net.connectors.gsmammpa!.connector.db('gsma_requests').where({ client_correlation_id: paid.cid }).first()
    return [row.callback_state, row.callback_attempts]
  }
  await eventually(async () => (await delivery())[0] === 'DELIVERED', 'the connector records the callback DELIVERED')
  assert.deepEqual(await delivery(), ['DELIVERED', 3])
  await new Promise((r) => setTimeout(r, 300))
  assert.equal(platform.callbacks.get(paid.cid)!.length, 1)
})
