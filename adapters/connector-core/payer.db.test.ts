// The payer half's recovery against its real database (MariaDB), with the switch replaced by a recorder:
// a payment whose prepare was recorded is asked about with GET /transfers/{id} and resolved by the answer,
// once; a transfer the switch never got is sent again as the very same prepare; a payment cut short
// before its prepare moved no money and fails.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes, randomUUID } from 'node:crypto'
import { loadConfig } from '../../switch/config/config.ts'
import { silentLogger } from '../../switch/observability/logger.ts'
import type { Db } from '../../ledger/store/db.ts'
import { openConnectorDb } from './connector-db.ts'
import { createPayer, type Payer } from './payer.ts'
import { createPaymentStore, type PaymentStore } from './payment-store.ts'
import { FspiopFailure } from './fspiop-failure.ts'
import type { SwitchClient } from './switch-client.ts'
import { Waiters } from './waiters.ts'
import { conditionOf } from '../../ledger/domain/fulfilment.ts'

let db: Db
let payments: PaymentStore
let payer: Payer
const sent: { method: string; path: string; body: any }[] = []
const database = `agora_connector_unit_${randomBytes(3).toString('hex')}`
const client = { async send(method: string, path: string, _resource: string, body: any) { sent.push({ method, path, body }); return { status: 202, body: undefined } } } as unknown as SwitchClient
const fulfilment = randomBytes(32).toString('base64url')

before(async () => {
  db = await openConnectorDb({ ...loadConfig().db, database, poolMax: 3 })
  payments = createPaymentStore(db)
  payer = createPayer({ fspId: 'payerfsp', payments, client, waiters: new Waiters(), autoAcceptParty: true, autoAcceptQuote: true, logger: silentLogger() })
})
after(async () => {
  await db.raw('DROP DATABASE IF EXISTS ??', [database])
  await db.destroy()
})

async function inFlight(): Promise<{ transferId: string; prepare: any }> {
  const transferId = randomUUID()
  const prepare = { transferId, payerFsp: 'payerfsp', payeeFsp: 'payeefsp', amount: { amount: '5', currency: 'USD' }, ilpPacket: 'AQ', condition: conditionOf(fulfilment), expiration: new Date(Date.now() + 60_000).toISOString() }
  await payments.create({ transferId, request: { from: {}, to: {}, amount: '5', currency: 'USD', amountType: 'SEND' }, state: 'TRANSFER_SENT' })
  await payments.move(transferId, ['TRANSFER_SENT'], { prepare, payeeFsp: 'payeefsp' })
  return { transferId, prepare }
}

test('after a restart a recorded prepare is asked about with GET /transfers/{id}; the COMMITTED answer completes it once', async () => {
  const { transferId } = await inFlight()
  const early = randomUUID()
  await payments.create({ transferId: early, request: {}, state: 'QUOTE_REQUESTED' })
  sent.length = 0
  await payer.recover()
  assert.ok(sent.some((s) => s.method === 'GET' && s.path === `/transfers/${transferId}`))
  assert.ok(!sent.some((s) => s.method === 'POST'), 'nothing is sent again before the switch is asked')
  assert.equal((await payments.get(early))!.state, 'ERROR_OCCURRED', 'cut short before the prepare: nothing was paid, it fails')
  await payer.resolve(transferId, { body: { transferState: 'COMMITTED', fulfilment, completedTimestamp: new Date().toISOString() } })
  await payer.resolve(transferId, { body: { transferState: 'ABORTED' } })
  await payer.resolve(transferId, { error: FspiopFailure.of('5104') })
  const done = (await payments.get(transferId))!
  assert.equal(done.state, 'COMPLETED', 'a later answer does not move a final payment')
  assert.equal(done.fulfilment, fulfilment)
})

test('a transfer the switch does not know (3208) gets the very same prepare again; a later error fails it', async () => {
  const { transferId, prepare } = await inFlight()
  sent.length = 0
  await payer.resolve(transferId, { error: FspiopFailure.of('3208') })
  assert.deepEqual(sent, [{ method: 'POST', path: '/transfers', body: prepare }])
  assert.equal((await payments.get(transferId))!.state, 'TRANSFER_SENT')
  await payer.resolve(transferId, { error: FspiopFailure.of('3303', 'expired') })
  const failed = (await payments.get(transferId))!
  assert.equal(failed.state, 'ERROR_OCCURRED')
  assert.equal(failed.errorCode, '3303')
})

test('a COMMITTED state whose fulfilment does not match the condition is no proof of payment: the payment stays pending', async () => {
  const { transferId } = await inFlight()
  await payer.resolve(transferId, { body: { transferState: 'COMMITTED', fulfilment: randomBytes(32).toString('base64url') } })
  assert.equal((await payments.get(transferId))!.state, 'TRANSFER_SENT')
})

test('an answer that is not final yet (RESERVED, to GET /transfers/{id}) leaves the payment waiting', async () => {
  const { transferId } = await inFlight()
  await payer.resolve(transferId, { body: { transferState: 'RESERVED' } })
  assert.equal((await payments.get(transferId))!.state, 'TRANSFER_SENT')
})

test('a payment with more decimals than its currency is refused before anything is recorded (3100)', async () => {
  const transferId = randomUUID()
  await assert.rejects(payer.pay({ transferId, from: { idType: 'MSISDN', idValue: '1' }, to: { idType: 'MSISDN', idValue: '2' }, amountType: 'SEND', amount: '1.5', currency: 'JPY' }), (e: FspiopFailure) => e.errorCode === '3100')
  assert.equal(await payments.get(transferId), undefined)
})

test('while running, only a transfer the switch has been quiet about for long enough is asked about', async () => {
  const { transferId } = await inFlight()
  sent.length = 0
  await payer.askAboutQuiet(60_000)
  assert.ok(!sent.some((s) => s.path === `/transfers/${transferId}`), 'a fresh transfer is left to its callback')
  await db('outbound_payments').where({ transfer_id: transferId }).update({ updated_at: new Date(Date.now() - 120_000) })
  await payer.askAboutQuiet(60_000)
  assert.ok(sent.some((s) => s.method === 'GET' && s.path === `/transfers/${transferId}`))
})
