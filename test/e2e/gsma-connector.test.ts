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
  assert.match(paid.body.serverCorrelationId, /^[0-9a-f-]{36}$/)
  const reference = paid.body.objectReference as string
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
  await eventually(async () => (await net.connectors.gsmammpb!.connector.db('inbound_messages').where({ kind: 'transfer', message_id: reference }).first())?.state === 'COMMITTED', 'the payee connector hears COMMITTED')
  await assertSwitchInvariants(sw)
})
