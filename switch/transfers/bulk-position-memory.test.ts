// Bulk transfers in the position batch, on the in-memory store: items checked one by one against the
// payer's headroom shared with single prepares of the same batch, one POST /bulkTransfers for the accepted
// items, the payee's per-item answer checked against each condition, and Mojaloop's duplicate rules.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { conditionOf } from '../../ledger/domain/fulfilment.ts'
import { requestHash } from '../../ledger/domain/request-hash.ts'
import { memoryPositionWorld, NOW, onboard, positionOf, type Dfsp } from './memory-position-world.ts'
import { positionHandler, } from './position-handler.ts'
import type { Notification, PrepareMessage } from '../pipeline/messages.ts'
import type { BulkAnswerMessage, BulkPrepareMessage, BulkTransferAnswerBody, BulkTransferPrepareBody } from './bulk-messages.ts'

let ids = 0
const nextId = () => `00000000-0000-4000-8000-${String(++ids).padStart(12, '0')}`

async function world() {
  const { store, run } = memoryPositionWorld()
  const [payer, payee] = await onboard(store, ['payerfsp', 'payeefsp'], '1000', '5000')
  return { store, run, payer: payer!, payee: payee! }
}

function bulkPrepare(payer: Dfsp, payee: Dfsp, amounts: string[]) {
  const fulfilments = amounts.map((_, i) => Buffer.alloc(32, ids + i + 1).toString('base64url'))
  const body: BulkTransferPrepareBody = {
    bulkTransferId: nextId(), bulkQuoteId: nextId(), payerFsp: payer.name, payeeFsp: payee.name, expiration: new Date(NOW.getTime() + 60_000).toISOString(),
    individualTransfers: amounts.map((amount, i) => ({ transferId: nextId(), transferAmount: { amount, currency: 'USD' }, ilpPacket: 'packet', condition: conditionOf(fulfilments[i]!) })),
  }
  const message: BulkPrepareMessage = {
    kind: 'bulk-prepare', bulkTransferId: body.bulkTransferId, body, version: '1.1', hash: requestHash(body), origin: 'fspiop',
    payerAccountId: payer.position, payeeAccountId: payee.position, payerSettlementAccountId: payer.settlement,
  }
  return { message, fulfilments }
}

function singlePrepare(payer: Dfsp, payee: Dfsp, amount: string): PrepareMessage {
  const body = { transferId: nextId(), payerFsp: payer.name, payeeFsp: payee.name, amount: { amount, currency: 'USD' }, ilpPacket: 'p', condition: conditionOf(Buffer.alloc(32, 9).toString('base64url')), expiration: new Date(NOW.getTime() + 60_000).toISOString() }
  return { kind: 'prepare', transferId: body.transferId, body, version: '1.1', hash: requestHash(body), payerAccountId: payer.position, payeeAccountId: payee.position, payerSettlementAccountId: payer.settlement }
}

function answer(b: ReturnType<typeof bulkPrepare>, fulfilments: (string | undefined)[]): BulkAnswerMessage {
  const body: BulkTransferAnswerBody = {
    bulkTransferState: 'COMPLETED',
    individualTransferResults: b.message.body.individualTransfers.flatMap((t, i) => (fulfilments[i] ? [{ transferId: t.transferId, fulfilment: fulfilments[i] }] : [])),
  }
  return { kind: 'bulk-fulfil', bulkTransferId: b.message.bulkTransferId, source: b.message.body.payeeFsp, version: '1.1', hash: requestHash(body), body, payerAccountId: b.message.payerAccountId }
}

const position = positionOf
const itemCodes = (n: Notification) => ((n.body as BulkTransferAnswerBody).individualTransferResults ?? []).map((r) => r.errorInformation?.errorCode ?? 'ok')

test('a bulk\'s items share the payer\'s headroom with the single prepares of the batch: each is reserved if it fits, and only those reach the payee, in one POST', async () => {
  const w = await world()
  const bulk = bulkPrepare(w.payer, w.payee, ['300', '200', '50'])
  const out = await w.run([singlePrepare(w.payer, w.payee, '600'), bulk.message])
  assert.deepEqual(out.map((n) => `${n.method} ${n.path}`), ['POST /transfers', 'POST /bulkTransfers'])
  assert.deepEqual((out[1]!.body as BulkTransferPrepareBody).individualTransfers.map((t) => t.transferAmount.amount), ['300', '50'])
  assert.deepEqual(position(w.store, w.payer.position), { value: '0', reserved: '950' })
})

test('the payee\'s answer commits each item whose fulfilment matches and aborts the others; payer and payee get the per-item result', async () => {
  const w = await world()
  const bulk = bulkPrepare(w.payer, w.payee, ['10', '20', '30'])
  await w.run([bulk.message])
  const out = await w.run([answer(bulk, [bulk.fulfilments[0], Buffer.alloc(32, 200).toString('base64url'), undefined])])
  assert.deepEqual(out.map((n) => `${n.to} ${n.method} ${n.path}`), [`payerfsp PUT /bulkTransfers/${bulk.message.bulkTransferId}`, `payeefsp PUT /bulkTransfers/${bulk.message.bulkTransferId}`])
  assert.deepEqual(itemCodes(out[0]!), ['ok', '3100', '3100'])
  assert.deepEqual(position(w.store, w.payer.position), { value: '10', reserved: '0' })
  assert.deepEqual(position(w.store, w.payee.position), { value: '-10', reserved: '0' })
})

test('a resent bulk prepare is ignored in progress, answered with the final state when final, and a modified one gets 3106', async () => {
  const w = await world()
  const bulk = bulkPrepare(w.payer, w.payee, ['10'])
  await w.run([bulk.message])
  assert.deepEqual(await w.run([bulk.message]), [])
  await w.run([answer(bulk, bulk.fulfilments)])
  const again = await w.run([bulk.message])
  assert.deepEqual(again.map((n) => `${n.method} ${n.path}`), [`PUT /bulkTransfers/${bulk.message.bulkTransferId}`])
  assert.deepEqual(itemCodes(again[0]!), ['ok'])
  const modified = { ...bulk.message, hash: 'other' }
  const refused = await w.run([modified])
  assert.equal((refused[0]!.body as { errorInformation: { errorCode: string } }).errorInformation.errorCode, '3106')
  assert.deepEqual(position(w.store, w.payer.position), { value: '10', reserved: '0' })
})

test('a bulk whose every item is refused at prepare completes at once, without reaching the payee', async () => {
  const w = await world()
  const bulk = bulkPrepare(w.payer, w.payee, ['2000'])
  const out = await w.run([bulk.message])
  assert.deepEqual(out.map((n) => `${n.to} ${n.method} ${n.path}`), [`payerfsp PUT /bulkTransfers/${bulk.message.bulkTransferId}`])
  assert.deepEqual(itemCodes(out[0]!), ['4200'])
})

test('the payee\'s answer sent again gets the final result again; a modified one gets 3106; neither moves money', async () => {
  const w = await world()
  const bulk = bulkPrepare(w.payer, w.payee, ['10', '20'])
  await w.run([bulk.message])
  const first = answer(bulk, bulk.fulfilments)
  await w.run([first])
  const again = await w.run([first])
  assert.deepEqual(again.map((n) => `${n.to} ${n.method} ${n.path}`), [`payeefsp PUT /bulkTransfers/${bulk.message.bulkTransferId}`])
  const modified = await w.run([answer(bulk, [bulk.fulfilments[0], undefined])])
  assert.equal((modified[0]!.body as { errorInformation: { errorCode: string } }).errorInformation.errorCode, '3106')
  assert.deepEqual(position(w.store, w.payer.position), { value: '30', reserved: '0' })
})

test('the expiry of a bulk\'s items (the timeout scan names each) releases them and reports the bulk once its last item is final', async () => {
  const w = await world()
  const bulk = bulkPrepare(w.payer, w.payee, ['10', '20'])
  bulk.message.body.expiration = new Date(NOW.getTime() + 1).toISOString()
  await w.run([bulk.message])
  // Claimed later than the expiration: the handler's clock is moved on.
  const later = new Date(NOW.getTime() + 5_000)
  const handler = positionHandler({ hubName: 'Hub', topic: (n) => n, now: () => later })
  const [a, b] = bulk.message.body.individualTransfers.map((t) => t.transferId)
  const expire = (transferId: string) => ({ kind: 'expire' as const, transferId, payerAccountId: w.payer.position })
  assert.deepEqual(await w.run([expire(a!)], handler), [])
  const out = await w.run([expire(b!)], handler)
  assert.deepEqual(out.map((n) => `${n.to} ${n.method} ${n.path}`), [`payerfsp PUT /bulkTransfers/${bulk.message.bulkTransferId}`, `payeefsp PUT /bulkTransfers/${bulk.message.bulkTransferId}`])
  assert.deepEqual(itemCodes(out[0]!), ['3303', '3303'])
  assert.deepEqual(position(w.store, w.payer.position), { value: '0', reserved: '0' })
})

test('an item of a bulk answered alone with PUT /transfers/{id} is refused (3100) and stays reserved for the bulk\'s answer', async () => {
  const w = await world()
  const bulk = bulkPrepare(w.payer, w.payee, ['10'])
  await w.run([bulk.message])
  const item = bulk.message.body.individualTransfers[0]!
  const body = { transferState: 'COMMITTED' as const, fulfilment: bulk.fulfilments[0], completedTimestamp: NOW.toISOString() }
  const out = await w.run([{ kind: 'fulfil', transferId: item.transferId, source: 'payeefsp', version: '1.1', hash: requestHash(body), body, payerAccountId: w.payer.position }])
  assert.equal((out[0]!.body as { errorInformation: { errorCode: string } }).errorInformation.errorCode, '3100')
  assert.deepEqual(position(w.store, w.payer.position), { value: '0', reserved: '10' })
  const done = await w.run([answer(bulk, bulk.fulfilments)])
  assert.deepEqual(itemCodes(done[0]!), ['ok'])
})
