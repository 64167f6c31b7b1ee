// The pipeline's invariant checkers find each kind of broken ledger (a checker that always answers "fine"
// would let every end-to-end test pass), and a ledger written by the real position handler passes them.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { startPipelineLedger, type PipelineLedger, type PreparedTransfer } from './pipeline-ledger.ts'
import { checkInvariants } from '../../ledger/invariants/ledger-invariants.ts'
import { deliveredOrDeadLettered, offsetsNotAhead, partiesTold, pipelineInvariants } from '../../ledger/invariants/pipeline-invariants.ts'
import { createTopics, openTestBus } from '../support/kafka.ts'

let ledger: PipelineLedger
let committed: PreparedTransfer
let reserved: PreparedTransfer
let aborted: PreparedTransfer

before(async () => {
  ledger = await startPipelineLedger('pipeline_invariants', { ndc: '1000', fundsIn: '5000' })
  committed = ledger.prepare('100')
  reserved = ledger.prepare('200')
  aborted = ledger.prepare('300')
  await ledger.run([committed.message, reserved.message, aborted.message])
  await ledger.run([ledger.fulfil(committed), ledger.reject(aborted)])
})
after(async () => ledger.close())

const check = () => checkInvariants(ledger.testDb.db, pipelineInvariants())
const names = (violations: string[]) => [...new Set(violations.map((v) => v.split(':')[0]))].sort()

/** Applies a corruption, returns what the checkers say, and undoes it. */
async function violationsWhile(corrupt: string, undo: string, bindings: (string | number)[] = []): Promise<string[]> {
  await ledger.testDb.db.raw(corrupt, bindings)
  try {
    return await check()
  } finally {
    await ledger.testDb.db.raw(undo, bindings)
  }
}

test('a ledger written by the position handler has no violations', async () => {
  assert.deepEqual(await check(), [])
})

test('I1: a transfer still RESERVED well after its expiration is reported', async () => {
  const v = await violationsWhile(
    'UPDATE transfer SET expiration = expiration - INTERVAL 1 DAY WHERE id = ?', 'UPDATE transfer SET expiration = expiration + INTERVAL 1 DAY WHERE id = ?', [reserved.message.transferId])
  assert.deepEqual(names(v), ['noStuckTransfers'])
})

test('I4: a position beyond its net debit cap is reported', async () => {
  const v = await violationsWhile(
    "UPDATE participant_limit SET value = value - 900 WHERE account_id = ? AND type = 'NET_DEBIT_CAP'",
    "UPDATE participant_limit SET value = value + 900 WHERE account_id = ? AND type = 'NET_DEBIT_CAP'", [ledger.payer.positionAccountId])
  assert.deepEqual(names(v), ['withinNetDebitCap'])
})

test('I4: a position beyond its participant\'s liquidity cover is reported', async () => {
  // The payer holds 5000 and has 100 committed and 200 reserved: with 4900 taken from its settlement
  // account behind the journal's back, its cover is 100.
  const v = await violationsWhile('UPDATE account SET value = value + 4900 WHERE id = ?', 'UPDATE account SET value = value - 4900 WHERE id = ?', [ledger.payer.settlementAccountId])
  assert.deepEqual(names(v), ['accountsMatchJournal', 'currenciesSumToZero', 'withinLiquidityCover'])
  assert.ok(v.some((x) => /position 100(\.0+)? \+ reserved 200(\.0+)? exceeds liquidity cover 100/.test(x)), v.join('\n'))
})

test('I4: a currency whose settlement model does not check liquidity is not held to its cover', async () => {
  const db = ledger.testDb.db
  await db('settlement_model').where({ currency: 'USD' }).update({ require_liquidity_check: false })
  try {
    const v = await violationsWhile('UPDATE account SET value = value + 4900 WHERE id = ?', 'UPDATE account SET value = value - 4900 WHERE id = ?', [ledger.payer.settlementAccountId])
    assert.deepEqual(names(v), ['accountsMatchJournal', 'currenciesSumToZero'])
  } finally {
    await db('settlement_model').where({ currency: 'USD' }).update({ require_liquidity_check: true })
  }
})

test('I5: a commit entry that moves another amount than its transfer\'s is reported', async () => {
  const v = await violationsWhile('UPDATE transfer SET amount = amount + 1 WHERE id = ?', 'UPDATE transfer SET amount = amount - 1 WHERE id = ?', [committed.message.transferId])
  assert.deepEqual(names(v), ['commitMovesTheAmount'])
})

test('I5: a second effect of a transfer (a commit entry for an aborted one, or for none) is reported', async () => {
  const db = ledger.testDb.db
  const [entry] = await db('journal_entry').insert({ kind: 'TRANSFER_COMMIT', reference: aborted.message.transferId, currency: 'USD', created_by: 'test' })
  const [orphan] = await db('journal_entry').insert({ kind: 'TRANSFER_COMMIT', reference: 'no-such-transfer', currency: 'USD', created_by: 'test' })
  try {
    const v = await check()
    assert.deepEqual(names(v), ['oneEffectPerTransfer'])
    assert.equal(v.length, 2, v.join('\n'))
  } finally {
    await db('journal_entry').whereIn('id', [entry, orphan]).delete()
  }
})

test('I8: a state that moves backwards, or a history that does not end in the current state, is reported', async () => {
  const db = ledger.testDb.db
  const [id] = await db('transfer_state_change').insert({ transfer_id: committed.message.transferId, state: 'RESERVED' })
  try {
    const v = await check()
    assert.deepEqual(names(v), ['statesMoveForward'])
    assert.ok(v.some((x) => x.includes('COMMITTED → RESERVED')) && v.some((x) => x.includes('history ends in RESERVED')), v.join('\n'))
  } finally {
    await db('transfer_state_change').where({ id }).delete()
  }
  assert.deepEqual(await check(), [], 'every corruption was undone')
})

test('I7: a Kafka offset committed ahead of the offset the database recorded is reported', async () => {
  const bus = openTestBus('inv', 1)
  try {
    await createTopics(bus, bus.config, ['offsets'])
    const topic = bus.topic('offsets')
    const groupId = `${bus.topicPrefix}group`
    const producer = bus.producer()
    await producer.send(Array.from({ length: 5 }, (_, i) => ({ topic, key: 'k', value: String(i) })))
    await producer.close()
    // The group takes the five messages and commits offset 5 through the bus.
    let handled = 0
    const consumer = bus.consumer({ groupId, topics: [topic], handle: async (fetch) => { for (const b of fetch) handled += b.messages.length } })
    const committed = () => bus.committedOffsets(groupId, [topic]).then((c) => c[0]?.offset)
    while (handled < 5 || (await committed()) !== 5n) await new Promise((r) => setTimeout(r, 50))
    await consumer.stop()
    const row = { consumer_group: groupId, topic, partition: 0 }
    await ledger.testDb.db('consumed_offset').insert({ ...row, next_offset: 3 })
    const ahead = await offsetsNotAhead(bus)(ledger.testDb.db)
    assert.equal(ahead.length, 1, ahead.join('\n'))
    assert.match(ahead[0]!, /committed 5 to Kafka ahead of the DB's 3/)
    await ledger.testDb.db('consumed_offset').where(row).update({ next_offset: 5 })
    assert.deepEqual(await offsetsNotAhead(bus)(ledger.testDb.db), [])
    await ledger.testDb.db('consumed_offset').where(row).delete()
  } finally {
    await bus.close()
  }
})
