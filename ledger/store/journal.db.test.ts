// postJournalEntry on the real MariaDB: the one way money moves, balanced, applied to account values in
// the caller's transaction, written at most once per (kind, reference).
import { after, afterEach, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestDb, type TestDb } from '../../test/support/db.ts'
import { assertLedgerInvariants } from '../invariants/ledger-invariants.ts'
import { insertAccount, insertParticipant, findAccountById } from './participants.ts'
import { postJournalEntries, postJournalEntry } from './journal.ts'

let testDb: TestDb
let a: number
let b: number
let c: number

before(async () => {
  testDb = await createTestDb('journal')
  await testDb.db.transaction(async (trx) => {
    const p = await insertParticipant(trx, { name: 'journalfsp', isHub: false, createdBy: 'test' })
    a = await insertAccount(trx, { participantId: p.id, currency: 'USD', type: 'POSITION' })
    b = await insertAccount(trx, { participantId: p.id, currency: 'USD', type: 'SETTLEMENT' })
    c = await insertAccount(trx, { participantId: p.id, currency: 'USD', type: 'INTERCHANGE_FEE' })
  })
})
afterEach(async () => assertLedgerInvariants(testDb.db))
after(async () => testDb.drop())

const accountValue = async (id: number) => (await findAccountById(testDb.db, id))!.value
const entryCount = async () => Number((await testDb.db('journal_entry').count({ n: '*' }))[0]!.n)

test('a balanced entry writes its lines and moves each account by its line', async () => {
  await testDb.db.transaction((trx) => postJournalEntry(trx, {
    kind: 'TEST', reference: 'r1', currency: 'USD', createdBy: 'test',
    lines: [{ accountId: a, amount: '10.5' }, { accountId: b, amount: '-7.25' }, { accountId: c, amount: '-3.25' }],
  }))
  assert.deepEqual([await accountValue(a), await accountValue(b), await accountValue(c)], ['10.5000', '-7.2500', '-3.2500'])
  const lines = await testDb.db('journal_line as l').join('journal_entry as e', 'e.id', 'l.entry_id').where('e.reference', 'r1').select('l.amount')
  assert.equal(lines.length, 3)
})

test('an unbalanced entry is refused and changes nothing', async () => {
  const before = [await accountValue(a), await accountValue(b), await entryCount()]
  await assert.rejects(testDb.db.transaction((trx) => postJournalEntry(trx, {
    kind: 'TEST', reference: 'r2', currency: 'USD', createdBy: 'test', lines: [{ accountId: a, amount: '1' }, { accountId: b, amount: '-0.9999' }],
  })), /not balanced/)
  await assert.rejects(testDb.db.transaction((trx) => postJournalEntry(trx, {
    kind: 'TEST', reference: 'r3', currency: 'USD', createdBy: 'test', lines: [{ accountId: a, amount: '0' }],
  })), /at least two lines/)
  assert.deepEqual([await accountValue(a), await accountValue(b), await entryCount()], before)
})

test('the same (kind, reference) is written at most once; the failed transaction rolls back', async () => {
  const entry = { kind: 'TEST', reference: 'r4', currency: 'USD', createdBy: 'test', lines: [{ accountId: a, amount: '2' }, { accountId: b, amount: '-2' }] }
  await testDb.db.transaction((trx) => postJournalEntry(trx, entry))
  const before = [await accountValue(a), await accountValue(b), await entryCount()]
  await assert.rejects(testDb.db.transaction((trx) => postJournalEntry(trx, entry)))
  assert.deepEqual([await accountValue(a), await accountValue(b), await entryCount()], before)
})

test('many entries in one call net per account and stamp the settlement window', async () => {
  const before = [await accountValue(a), await accountValue(b)]
  const window = await testDb.db('settlement_window').where({ state: 'OPEN' }).first()
  await testDb.db.transaction((trx) => postJournalEntries(trx, [
    { kind: 'TEST', reference: 'r5', currency: 'USD', createdBy: 'test', settlementWindowId: String(window.id), lines: [{ accountId: a, amount: '5' }, { accountId: b, amount: '-5' }] },
    { kind: 'TEST', reference: 'r6', currency: 'USD', createdBy: 'test', settlementWindowId: String(window.id), lines: [{ accountId: a, amount: '-5' }, { accountId: b, amount: '5' }] },
  ]))
  assert.deepEqual([await accountValue(a), await accountValue(b)], before, 'entries that net to zero leave the values as they were')
  const stamped = await testDb.db('journal_entry').whereIn('reference', ['r5', 'r6']).pluck('settlement_window_id')
  assert.deepEqual(stamped.map(String), [String(window.id), String(window.id)])
})
