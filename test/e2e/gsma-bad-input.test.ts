// Bad input to the GSMA API is refused with the GSMA error object, synchronously, and moves nothing: missing
// or invalid headers, a malformed body, a wrong amount scale, an unknown currency. Services the connector does
// not offer are refused with an error object too, never a bare 404 page.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { startSwitch, type SwitchHarness } from '../support/switch-harness.ts'
import { setupHub } from '../support/fixtures.ts'
import { GsmaNetwork } from '../support/gsma-network.ts'
import { send, type Heard } from '../support/simulated-mmp.ts'

const PAYER = '255711300001'
const PAYEE = '255722400002'
let sw: SwitchHarness
let net: GsmaNetwork
const transfer = { amount: '10.00', currency: 'USD', debitParty: [{ key: 'msisdn', value: PAYER }], creditParty: [{ key: 'msisdn', value: PAYEE }] }
const headers = (cid = randomUUID()) => ({ 'x-correlationid': cid, 'x-callback-url': net.mmps.gsmabada!.callbackUrl(cid) })
const post = (body: unknown, h: Record<string, string>) => send(net.api('gsmabada'), 'POST', '/transactions/type/transfer', body, h)
const errorOf = (r: Heard) => [r.status, r.body?.errorCategory, r.body?.errorCode]

before(async () => {
  sw = await startSwitch('gsmabad')
  await setupHub(sw.admin, 'USD')
  net = new GsmaNetwork(sw)
  await net.mmp('gsmabada', { [PAYER]: '1000' })
  await net.mmp('gsmabadb', { [PAYEE]: '0' })
})
after(async () => {
  await net?.close()
  await sw?.stop()
})

test('an asynchronous POST without X-Callback-URL or X-CorrelationID is 400 validation mandatoryValueNotSupplied; a correlation id that is not a UUID is a formatError', async () => {
  assert.deepEqual(errorOf(await post(transfer, { 'x-correlationid': randomUUID() })), [400, 'validation', 'mandatoryValueNotSupplied'])
  assert.deepEqual(errorOf(await post(transfer, { 'x-callback-url': 'http://127.0.0.1:1/cb' })), [400, 'validation', 'mandatoryValueNotSupplied'])
  assert.deepEqual(errorOf(await post(transfer, { ...headers(), 'x-correlationid': 'not-a-uuid' })), [400, 'validation', 'formatError'])
  assert.deepEqual(errorOf(await post(transfer, { ...headers(), 'x-callback-url': 'not a url' })), [400, 'validation', 'formatError'])
  assert.deepEqual(errorOf(await post(transfer, { ...headers(), 'x-date': 'yesterday' })), [400, 'validation', 'formatError'], 'X-Date is an HTTP-date')
})

test('a malformed JSON body, another content type than application/json, missing fields are refused with the error object', async () => {
  assert.deepEqual(errorOf(await post('{"amount": "1",', headers())), [400, 'validation', 'formatError'])
  const text = await send(net.api('gsmabada'), 'POST', '/transactions/type/transfer', undefined, { ...headers(), 'content-type': 'text/plain' })
  assert.equal(text.status, 400)
  const { amount: _a, ...noAmount } = transfer
  assert.deepEqual(errorOf(await post(noAmount, headers())), [400, 'validation', 'mandatoryValueNotSupplied'])
  assert.deepEqual(errorOf(await post({ ...transfer, amount: 10 }, headers())), [400, 'validation', 'formatError'], 'amounts are strings')
})

test('an amount with more decimals than the currency allows is a formatError, a negative one negativeValue, an unknown currency currencyNotSupported', async () => {
  assert.deepEqual(errorOf(await post({ ...transfer, amount: '10.001' }, headers())), [400, 'validation', 'formatError'])
  assert.deepEqual(errorOf(await post({ ...transfer, amount: '-1' }, headers())), [400, 'validation', 'negativeValue'])
  assert.deepEqual(errorOf(await post({ ...transfer, currency: 'ABC' }, headers())), [400, 'validation', 'currencyNotSupported'])
})

test('nothing refused was recorded or paid: no request rows, no transfers, no callbacks, the books unchanged', async () => {
  assert.equal(Number((await net.connectors.gsmabada!.connector.db('gsma_requests').count({ n: '*' }))[0]!.n), 0)
  assert.equal(Number((await sw.testDb.db('transfer').count({ n: '*' }))[0]!.n), 0)
  assert.equal(net.mmps.gsmabada!.callbacks.size, 0)
  assert.deepEqual([net.mmps.gsmabada!.balance(PAYER), net.mmps.gsmabadb!.balance(PAYEE)], ['1000', '0'])
})

test('services the connector does not offer answer the GSMA error object: reversals and authorisation codes are businessRule genericError, other transaction types v1.2 transactionTypeError; an unknown path identifierError', async () => {
  const reversal = await send(net.api('gsmabada'), 'POST', `/transactions/${randomUUID()}/reversals`, { type: 'reversal' }, headers())
  assert.deepEqual(errorOf(reversal), [400, 'businessRule', 'genericError'])
  assert.ok(reversal.body.errorDateTime)
  assert.deepEqual(errorOf(await send(net.api('gsmabada'), 'POST', '/authorisationcodes', {}, headers())), [400, 'businessRule', 'genericError'])
  assert.deepEqual(errorOf(await send(net.api('gsmabada'), 'POST', '/transactions/type/merchantpay', transfer, headers())), [400, 'businessRule', 'transactionTypeError'])
  assert.deepEqual(errorOf(await send(net.api('gsmabada'), 'GET', `/accounts/msisdn/${PAYER}/balance`)), [400, 'businessRule', 'genericError'])
  assert.deepEqual(errorOf(await send(net.api('gsmabada'), 'GET', '/nothing/here')), [404, 'identification', 'identifierError'])
  assert.deepEqual(errorOf(await send(net.api('gsmabada'), 'GET', `/requeststates/${randomUUID()}`)), [404, 'identification', 'identifierError'])
  assert.deepEqual(errorOf(await send(net.api('gsmabada'), 'GET', `/transactions/${randomUUID()}`)), [404, 'identification', 'identifierError'])
  assert.deepEqual((await send(net.api('gsmabada'), 'GET', '/heartbeat')).body, { serviceStatus: 'available' })
})
