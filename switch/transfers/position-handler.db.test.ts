// The position handler on the real MariaDB, one batch per call as the batch consumer runs it (Kafka is
// covered by the end-to-end tests): decisions within one batch, duplicates in every state, expiry. The
// ledger and pipeline invariants hold after each test.
import { after, afterEach, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { startPipelineLedger, type PipelineLedger } from '../../test/invariants/pipeline-ledger.ts'
import { assertLedgerInvariants } from '../../ledger/invariants/ledger-invariants.ts'
import { pipelineInvariants } from '../invariants/pipeline-invariants.ts'
import type { Notification, PrepareMessage } from '../pipeline/messages.ts'
import { NO_ACCOUNT } from '../../ledger/store/transfers.ts'

let ledger: PipelineLedger

before(async () => {
  ledger = await startPipelineLedger('position_handler', { ndc: '1000', fundsIn: '5000' })
})
afterEach(async () => {
  // Leave nothing reserved, so each test starts from the NDC's full headroom.
  const reserved = await ledger.testDb.db('transfer').where({ state: 'RESERVED' }).select('id', 'payer_account_id')
  await ledger.run(reserved.map((r: any) => ({ kind: 'expire', transferId: r.id, payerAccountId: r.payer_account_id })), new Date(Date.now() + 3_600_000))
  await assertLedgerInvariants(ledger.testDb.db, pipelineInvariants())
})
after(async () => ledger.close())

const stateOf = async (id: string) => (await ledger.testDb.db('transfer').where({ id }).first())?.state
const position = async (id: number) => ledger.testDb.db('account').where({ id }).first('value', 'reserved_value')
const codes = (out: Notification[]) => out.map((n) => (n.body as any).errorInformation?.errorCode ?? `${n.method} ${n.path}`)

describe('reservations in one batch', () => {
  test('each reservation lowers the headroom of the next: only the prepares that fit are reserved', async () => {
    const amounts = ['600', '600', '400', '1']
    const transfers = amounts.map((a) => ledger.prepare(a))
    const out = await ledger.run(transfers.map((t) => t.message))
    assert.deepEqual(codes(out), ['POST /transfers', '4200', 'POST /transfers', '4200'])
    assert.deepEqual(await Promise.all(transfers.map((t) => stateOf(t.message.transferId))), ['RESERVED', 'ABORTED', 'RESERVED', 'ABORTED'])
    assert.equal((await position(ledger.payer.positionAccountId)).reserved_value, '1000.0000')
  })

  test('liquidity cover refuses with 4001 before the NDC is reached', async () => {
    await ledger.admin.inject({ method: 'PUT', url: '/participants/payerfsp/limits', headers: { 'x-agora-operator': 't' }, payload: { currency: 'USD', limit: { type: 'NET_DEBIT_CAP', value: 100000 } } })
    try {
      const out = await ledger.run([ledger.prepare('4000').message, ledger.prepare('1001').message, ledger.prepare('1000').message])
      assert.deepEqual(codes(out), ['POST /transfers', '4001', 'POST /transfers'])
    } finally {
      await ledger.admin.inject({ method: 'PUT', url: '/participants/payerfsp/limits', headers: { 'x-agora-operator': 't' }, payload: { currency: 'USD', limit: { type: 'NET_DEBIT_CAP', value: 1000 } } })
    }
  })

  test('prepare and fulfil in one batch commit; the payee can spend what it received in the same batch', async () => {
    const t = ledger.prepare('1000')
    const back = ledger.prepare('1500', { from: ledger.payee, to: ledger.payer })
    const out = await ledger.run([t.message, ledger.fulfil(t), back.message, ledger.fulfil(back)])
    assert.deepEqual(codes(out), ['POST /transfers', `PUT /transfers/${t.message.transferId}`, 'POST /transfers', `PUT /transfers/${back.message.transferId}`])
    assert.deepEqual(await position(ledger.payee.positionAccountId), { value: '500.0000', reserved_value: '0.0000' })
  })
})

describe('duplicates', () => {
  test('a prepare repeated in the same batch reserves once; a modified one gets 3106', async () => {
    const t = ledger.prepare('10')
    const modified = { ...t.message, body: { ...t.message.body, amount: { amount: '11', currency: 'USD' } }, hash: 'different' }
    const out = await ledger.run([t.message, t.message, modified])
    assert.deepEqual(codes(out), ['POST /transfers', '3106'])
    assert.equal((await position(ledger.payer.positionAccountId)).reserved_value, '10.0000')
  })

  test('a repeated prepare is ignored while RESERVED and answered with the final state once COMMITTED', async () => {
    const t = ledger.prepare('20')
    await ledger.run([t.message])
    assert.deepEqual(await ledger.run([t.message]), [])
    await ledger.run([ledger.fulfil(t)])
    const [resent] = await ledger.run([t.message])
    assert.deepEqual([resent!.to, resent!.method, resent!.source, (resent!.body as any).transferState], ['payerfsp', 'PUT', 'Hub', 'COMMITTED'])
    assert.equal((resent!.body as any).fulfilment, t.fulfilment)
  })

  test('a repeated prepare of an ABORTED or EXPIRED transfer is answered with its state, ABORTED, as central-ledger\'s PREPARE_DUPLICATE', async () => {
    const refused = ledger.prepare('100000')
    const expired = ledger.prepare('5', { expiresIn_ms: 1_000 })
    assert.deepEqual(codes(await ledger.run([refused.message, expired.message])), ['4200', 'POST /transfers'])
    assert.deepEqual(codes(await ledger.run([ledger.expire(expired)], new Date(Date.now() + 5_000))), ['3303', '3303'])
    const again = await ledger.run([refused.message, expired.message])
    assert.deepEqual(codes(again), [`PUT /transfers/${refused.message.transferId}`, `PUT /transfers/${expired.message.transferId}`])
    assert.deepEqual(again.map((n) => (n.body as any).transferState), ['ABORTED', 'ABORTED'])
    assert.ok(again.every((n) => n.to === 'payerfsp' && n.source === 'Hub'))
  })

  test('a repeated fulfil is answered with the final state; a different fulfil or an error after it gets 3106', async () => {
    const t = ledger.prepare('30')
    const fulfil = ledger.fulfil(t)
    await ledger.run([t.message])
    await ledger.run([fulfil])
    const out = await ledger.run([fulfil, ledger.fulfil(t, { state: 'RESERVED' }), ledger.reject(t)])
    assert.deepEqual(codes(out), [`PUT /transfers/${t.message.transferId}`, '3106', '3106'])
    assert.ok(out.every((n) => n.to === 'payeefsp'))
    assert.equal(await ledger.testDb.db('journal_entry').where({ reference: t.message.transferId }).count({ n: '*' }).then((r) => Number(r[0]!.n)), 1)
  })

  test('a repeated reject of an ABORTED transfer is answered with its state, ABORTED, and changes nothing', async () => {
    const t = ledger.prepare('40')
    await ledger.run([t.message])
    assert.deepEqual(codes(await ledger.run([ledger.reject(t, '5105')])), ['5105'])
    const again = await ledger.run([ledger.reject(t, '5105')])
    assert.deepEqual([again[0]!.to, again[0]!.path, (again[0]!.body as any).transferState], ['payeefsp', `/transfers/${t.message.transferId}`, 'ABORTED'])
    assert.equal(await stateOf(t.message.transferId), 'ABORTED')
  })
})

describe('refused prepares', () => {
  test('a prepare the API found refused is recorded ABORTED with 3100 and central-ledger\'s reason, the payer told, no account touched', async () => {
    const t = ledger.prepare('10')
    const before = await position(t.message.payerAccountId)
    const refused: PrepareMessage = { ...(t.message as PrepareMessage), payeeAccountId: NO_ACCOUNT, refusal: 'Participant nobody not found' }
    const out = await ledger.run([refused])
    assert.deepEqual(out.map((n) => [n.to, n.source, (n.body as any).errorInformation]), [['payerfsp', 'Hub', { errorCode: '3100', errorDescription: 'Generic validation error - Participant nobody not found' }]])
    const row = await ledger.testDb.db('transfer').where({ id: t.message.transferId }).first()
    assert.deepEqual([row.state, row.error_code, row.error_description, row.payee_account_id], ['ABORTED', '3100', 'Generic validation error - Participant nobody not found', NO_ACCOUNT])
    assert.deepEqual(await position(t.message.payerAccountId), before)
  })

  test('a refused prepare whose payer holds no account is recorded, and a fulfil or expiry of it locks nothing and changes nothing', async () => {
    const t = ledger.prepare('10')
    const refused: PrepareMessage = { ...(t.message as PrepareMessage), payerAccountId: NO_ACCOUNT, payerSettlementAccountId: NO_ACCOUNT, refusal: 'Participant payerfsp USD account not found' }
    assert.deepEqual(codes(await ledger.run([refused])), ['3100'])
    const out = await ledger.run([{ ...ledger.fulfil(t), payerAccountId: NO_ACCOUNT }, { kind: 'expire', transferId: t.message.transferId, payerAccountId: NO_ACCOUNT }], new Date(Date.now() + 120_000))
    assert.deepEqual(out.map((n) => [n.to, (n.body as any).errorInformation?.errorCode]), [['payeefsp', '3100']])
    assert.equal(await stateOf(t.message.transferId), 'ABORTED')
  })
})

describe('fulfils', () => {
  test('a fulfil from someone other than the payee is refused with 3100 and changes nothing', async () => {
    const t = ledger.prepare('50')
    await ledger.run([t.message])
    const out = await ledger.run([ledger.fulfil(t, { source: 'payerfsp' })])
    assert.deepEqual([out[0]!.to, codes(out)[0]], ['payerfsp', '3100'])
    assert.equal(await stateOf(t.message.transferId), 'RESERVED')
    assert.deepEqual(codes(await ledger.run([ledger.fulfil(t)])), [`PUT /transfers/${t.message.transferId}`])
  })

  test('a fulfilment that does not match the condition aborts and releases; both sides get 3100', async () => {
    const t = ledger.prepare('60')
    await ledger.run([t.message])
    const out = await ledger.run([ledger.fulfil(t, { fulfilment: ledger.prepare('1').fulfilment })])
    assert.deepEqual(out.map((n) => [n.to, (n.body as any).errorInformation.errorCode]), [['payerfsp', '3100'], ['payeefsp', '3100']])
    assert.equal(await stateOf(t.message.transferId), 'ABORTED')
  })

  test('a payee that answers RESERVED gets a PATCH with the final state', async () => {
    const t = ledger.prepare('70')
    await ledger.run([t.message])
    const out = await ledger.run([ledger.fulfil(t, { state: 'RESERVED' })])
    assert.deepEqual(out.map((n) => `${n.to} ${n.method}`), ['payerfsp PUT', 'payeefsp PATCH'])
    assert.equal((out[1]!.body as any).transferState, 'COMMITTED')
  })

  test('a fulfil for an unknown transfer gets 3208', async () => {
    const t = ledger.prepare('1')
    assert.deepEqual(codes(await ledger.run([ledger.fulfil(t)])), ['3208'])
  })
})

describe('expiry', () => {
  test('an expiry releases a RESERVED transfer past its expiration and tells both sides 3303', async () => {
    const t = ledger.prepare('80', { expiresIn_ms: 1_000 })
    await ledger.run([t.message])
    assert.deepEqual(await ledger.run([ledger.expire(t)]), [], 'not expired yet: ignored')
    const out = await ledger.run([ledger.expire(t)], new Date(Date.now() + 5_000))
    assert.deepEqual(out.map((n) => [n.to, (n.body as any).errorInformation.errorCode]), [['payerfsp', '3303'], ['payeefsp', '3303']])
    assert.equal(await stateOf(t.message.transferId), 'EXPIRED')
    assert.deepEqual(await ledger.run([ledger.expire(t)], new Date(Date.now() + 5_000)), [], 'already final: ignored')
  })

  test('a fulfil after the expiration expires the transfer instead of committing it', async () => {
    const t = ledger.prepare('90', { expiresIn_ms: 1_000 })
    await ledger.run([t.message])
    assert.deepEqual(codes(await ledger.run([ledger.fulfil(t)], new Date(Date.now() + 5_000))), ['3303', '3303'])
    assert.equal(await stateOf(t.message.transferId), 'EXPIRED')
  })

  test('a prepare that reaches the handler after its expiration ends EXPIRED without a reservation', async () => {
    const t = ledger.prepare('100', { expiresIn_ms: 1_000 })
    assert.deepEqual(codes(await ledger.run([t.message], new Date(Date.now() + 5_000))), ['3303'])
    assert.equal(await stateOf(t.message.transferId), 'EXPIRED')
    const history = await ledger.testDb.db('transfer_state_change').where({ transfer_id: t.message.transferId }).orderBy('id').pluck('state')
    assert.deepEqual(history, ['RECEIVED', 'EXPIRED'])
  })
})

describe('batches of several partitions at once', () => {
  test('concurrent batches that insert transfers and share accounts never deadlock', async () => {
    const { payer, payee } = ledger
    for (let round = 0; round < 5; round++) {
      // Two partitions' worth of prepares each way, then their fulfils, four batches in flight at a time.
      const batches = [payer, payer, payee, payee].map((from) => Array.from({ length: 40 }, () => ledger.prepare('1', { from, to: from === payer ? payee : payer })))
      const prepared = await Promise.allSettled(batches.map((b) => ledger.run(b.map((t) => t.message))))
      assert.deepEqual(prepared.map((r) => r.status), ['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled'], `round ${round}: prepares`)
      const fulfilled = await Promise.allSettled(batches.map((b) => ledger.run(b.map((t) => ledger.fulfil(t)))))
      assert.deepEqual(fulfilled.map((r) => r.status), ['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled'], `round ${round}: fulfils`)
    }
    const states = await ledger.testDb.db('transfer').groupBy('state').select('state').count({ n: '*' })
    assert.ok(states.every((s: any) => s.state !== 'RESERVED'), 'every transfer committed')
  })
})
