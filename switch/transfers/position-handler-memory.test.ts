// The position handler on the in-memory store, through merged transactions as the batch consumer runs it:
// the same decisions as on MariaDB (position-handler.test.ts), one unit of work for the ledger, the
// offsets and the outbox, undone whole when it throws, and the same run giving the same result twice.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { conditionOf } from '../../ledger/domain/fulfilment.ts'
import { requestHash } from '../../ledger/domain/request-hash.ts'
import type { BatchHandler } from '../pipeline/merged-transactions.ts'
import { memoryPositionWorld, NOW, onboard, positionOf, type Dfsp } from './memory-position-world.ts'
import { positionHandler } from './position-handler.ts'
import type { FulfilBody, Notification, PositionTopicMessage, PrepareMessage, TransferPrepareBody } from '../pipeline/messages.ts'

function world() {
  const { store, run, sent } = memoryPositionWorld()
  let transfers = 0
  const prepare = (from: Dfsp, to: Dfsp, amount: string) => {
    const fulfilment = Buffer.alloc(32, ++transfers).toString('base64url')
    const body: TransferPrepareBody = {
      transferId: `00000000-0000-4000-8000-${String(transfers).padStart(12, '0')}`, payerFsp: from.name, payeeFsp: to.name, amount: { amount, currency: 'USD' },
      ilpPacket: 'packet', condition: conditionOf(fulfilment), expiration: new Date(NOW.getTime() + 60_000).toISOString(),
    }
    const message: PrepareMessage = {
      kind: 'prepare', transferId: body.transferId, body, version: '1.1', hash: requestHash(body),
      payerAccountId: from.position, payeeAccountId: to.position, payerSettlementAccountId: from.settlement,
    }
    return { message, fulfilment }
  }
  const fulfil = (t: { message: PrepareMessage; fulfilment: string }): PositionTopicMessage => {
    const body: FulfilBody = { transferState: 'COMMITTED', fulfilment: t.fulfilment, completedTimestamp: NOW.toISOString() }
    return { kind: 'fulfil', transferId: t.message.transferId, source: t.message.body.payeeFsp, version: '1.1', hash: requestHash(body), body, payerAccountId: t.message.payerAccountId }
  }
  return { store, run, prepare, fulfil, sent }
}

const codes = (out: Notification[]) => out.map((n) => (n.body as { errorInformation?: { errorCode: string } }).errorInformation?.errorCode ?? `${n.method} ${n.path}`)
const position = positionOf

test('each reservation lowers the headroom of the next: only the prepares that fit are reserved', async () => {
  const w = world()
  const [payer, payee] = await onboard(w.store, ['payerfsp', 'payeefsp'], '1000', '5000')
  const out = await w.run(['600', '600', '400', '1'].map((a) => w.prepare(payer!, payee!, a).message))
  assert.deepEqual(codes(out), ['POST /transfers', '4200', 'POST /transfers', '4200'])
  assert.deepEqual(position(w.store, payer!.position), { value: '0', reserved: '1000' })
})

test('prepare and fulfil in one batch commit; the payee can spend what it received in the same batch', async () => {
  const w = world()
  const [payer, payee] = await onboard(w.store, ['payerfsp', 'payeefsp'], '1000', '5000')
  const t = w.prepare(payer!, payee!, '1000')
  const back = w.prepare(payee!, payer!, '1500')
  const out = await w.run([t.message, w.fulfil(t), back.message, w.fulfil(back)])
  assert.deepEqual(codes(out), ['POST /transfers', `PUT /transfers/${t.message.transferId}`, 'POST /transfers', `PUT /transfers/${back.message.transferId}`])
  assert.deepEqual(position(w.store, payee!.position), { value: '500', reserved: '0' })
  assert.equal(w.store.ledger.transfers.get(t.message.transferId)?.state, 'COMMITTED')
})

test('a batch whose handler throws after the ledger writes leaves no transfer, position, offset or outbox row', async () => {
  const w = world()
  const [payer, payee] = await onboard(w.store, ['payerfsp', 'payeefsp'], '1000', '5000')
  const real = positionHandler({ hubName: 'Hub', topic: (n) => n, now: () => NOW })
  const failing: BatchHandler<PositionTopicMessage> = { apply: async (uow, messages) => { await real.apply(uow, messages); throw new Error('crash after the writes') } }
  const t = w.prepare(payer!, payee!, '10')
  await assert.rejects(w.run([t.message], failing), /crash after the writes/)
  assert.equal(w.store.ledger.transfers.get(t.message.transferId), undefined)
  assert.deepEqual(position(w.store, payer!.position), { value: '0', reserved: '0' })
  assert.equal(w.store.tables.offsets.size, 0)
  assert.equal(w.store.tables.outbox.size, 0)
  // Delivered again, the batch takes effect once.
  assert.deepEqual(codes(await w.run([t.message])), ['POST /transfers'])
  assert.deepEqual(position(w.store, payer!.position), { value: '0', reserved: '10' })
})

test('the same batches on the same clock give the same callbacks (but for the wall-clock originatedAt_ms) and the same ledger', async () => {
  const once = async () => {
    const w = world()
    const [payer, payee] = await onboard(w.store, ['payerfsp', 'payeefsp'], '1000', '5000')
    const a = w.prepare(payer!, payee!, '300')
    const b = w.prepare(payer!, payee!, '900')
    await w.run([a.message, b.message])
    await w.run([w.fulfil(a)])
    // originatedAt_ms stamps the hub's own errors with the wall clock (transfer-notifications.ts hubError).
    const sent = w.sent.map((m) => JSON.stringify({ ...JSON.parse(m), originatedAt_ms: undefined }))
    return JSON.stringify({ sent, accounts: w.store.ledger.accounts.values().map((x) => [x.id, String(x.value), String(x.reserved)]) })
  }
  assert.equal(await once(), await once())
})
