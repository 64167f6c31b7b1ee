import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestDb, type TestDb } from '../../test/support/db.ts'
import { claimDueCallbackRetries, pendingCallbackRetries, scheduleCallbackRetries, settleCallbackRetries } from './outbox-retries.ts'

let testDb: TestDb

before(async () => {
  testDb = await createTestDb('outbox_retries')
})
after(async () => testDb.drop())

const at = (offset_ms: number) => new Date(Date.now() + offset_ms)
const retry = (reference: string, dueAt: Date) => ({ recipient: 'dfsp', reference, payload: JSON.stringify({ to: 'dfsp', method: 'PUT' }), attempts: 1, reason: 'answered 503', dueAt })

test('only due rows are claimed, and a claimed row is not claimed again while its lease runs', async () => {
  await scheduleCallbackRetries(testDb.db, [retry('due', at(-1_000)), retry('later', at(60_000))])
  const claimed = await claimDueCallbackRetries(testDb.db, { limit: 10, lease_ms: 30_000, now: new Date() })
  assert.deepEqual(claimed.map((r) => [r.reference, r.attempts]), [['due', 1]])
  assert.deepEqual(await claimDueCallbackRetries(testDb.db, { limit: 10, lease_ms: 30_000, now: new Date() }), [])
  // A claimer that died: the row comes due again when the lease is over.
  const again = await claimDueCallbackRetries(testDb.db, { limit: 10, lease_ms: 30_000, now: at(31_000) })
  assert.deepEqual(again.map((r) => r.reference), ['due'])
  await settleCallbackRetries(testDb.db, { delivered: [again[0]!.id], again: [], dead: [] })
  assert.equal(await pendingCallbackRetries(testDb.db, 'due'), 0)
})

test('settling records each outcome: delivered rows go, failed ones come due later, given-up ones become dead letters', async () => {
  await scheduleCallbackRetries(testDb.db, [retry('a', at(-1)), retry('b', at(-1)), retry('c', at(-1))])
  const [a, b, c] = await claimDueCallbackRetries(testDb.db, { limit: 3, lease_ms: 30_000, now: new Date() })
  await settleCallbackRetries(testDb.db, {
    delivered: [a!.id],
    again: [{ id: b!.id, attempts: 2, reason: 'timed out', dueAt: at(-1) }],
    dead: [{ id: c!.id, letter: { recipient: 'dfsp', method: 'PUT', url: 'http://x', reference: 'c', payload: c!.payload, reason: 'answered 503', attempts: 5 } }],
  })
  const left = await claimDueCallbackRetries(testDb.db, { limit: 10, lease_ms: 30_000, now: new Date() })
  assert.deepEqual(left.map((r) => [r.reference, r.attempts]), [['b', 2]])
  const dead = await testDb.db('callback_dead_letter').where({ reference: 'c' }).first()
  assert.deepEqual([dead.reason, dead.attempts], ['answered 503', 5])
  assert.equal(await pendingCallbackRetries(testDb.db, 'c'), 0)
})
