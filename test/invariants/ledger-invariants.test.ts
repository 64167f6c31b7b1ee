// The invariant checker finds each kind of broken ledger (a checker that always answers "fine" would let
// every other test pass), and a ledger built through the admin API passes it.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { createTestDb, type TestDb } from '../support/db.ts'
import { testAdminApp } from '../support/apps.ts'
import { call, onboardDfsp, setupHub } from '../support/fixtures.ts'
import { checkLedgerInvariants } from '../../ledger/invariants/ledger-invariants.ts'

let testDb: TestDb
let admin: FastifyInstance
let settlementAccountId: number
let positionAccountId: number

before(async () => {
  testDb = await createTestDb('invariants')
  admin = await testAdminApp(testDb.db)
  await setupHub(admin, 'USD')
  ;({ settlementAccountId, positionAccountId } = await onboardDfsp(admin, { name: 'invfsp', fundsIn: '1000' }))
})
after(async () => {
  await admin.close()
  await testDb.drop()
})

/** Applies a corruption, returns what the checker says, and undoes it. */
async function violationsWhile(corrupt: string, undo: string, bindings: (number | string)[] = []): Promise<string[]> {
  await testDb.db.raw(corrupt, bindings)
  try {
    return await checkLedgerInvariants(testDb.db)
  } finally {
    await testDb.db.raw(undo, bindings)
  }
}

const names = (violations: string[]) => [...new Set(violations.map((v) => v.split(':')[0]))].sort()

test('a ledger built through the admin API has no violations', async () => {
  assert.deepEqual(await checkLedgerInvariants(testDb.db), [])
})

test('an account value changed outside the journal breaks I2 and I3', async () => {
  const v = await violationsWhile('UPDATE account SET value = value - 1 WHERE id = ?', 'UPDATE account SET value = value + 1 WHERE id = ?', [settlementAccountId])
  assert.deepEqual(names(v), ['accountsMatchJournal', 'currenciesSumToZero'])
})

test('an unbalanced journal entry is reported', async () => {
  const v = await violationsWhile('UPDATE journal_line SET amount = amount + 1 WHERE account_id = ?', 'UPDATE journal_line SET amount = amount - 1 WHERE account_id = ?', [settlementAccountId])
  assert.ok(names(v).includes('journalBalanced'), v.join('\n'))
})

test('a reservation that no transfer or funds out holds is reported', async () => {
  const v = await violationsWhile('UPDATE account SET reserved_value = 5 WHERE id = ?', 'UPDATE account SET reserved_value = 0 WHERE id = ?', [positionAccountId])
  assert.deepEqual(names(v), ['reservationsMatch'])
})

test('a settlement balance below zero is reported', async () => {
  const v = await violationsWhile('UPDATE account SET reserved_value = 1001 WHERE id = ?', 'UPDATE account SET reserved_value = 0 WHERE id = ?', [settlementAccountId])
  assert.deepEqual(names(v), ['reservationsMatch', 'settlementBalancesNotNegative'])
  assert.deepEqual(await checkLedgerInvariants(testDb.db), [], 'every corruption was undone')
})

test('a funds out in flight that the hub clearing account does not hold is reported', async () => {
  const transferId = crypto.randomUUID()
  const url = `/participants/invfsp/accounts/${settlementAccountId}`
  await call(admin, 'POST', url, { transferId, externalReference: 'x', action: 'recordFundsOutPrepareReserve', reason: 'r', amount: { amount: '5', currency: 'USD' } })
  await call(admin, 'PUT', `${url}/transfers/${transferId}`, { action: 'recordFundsOutCommit', reason: 'r' })
  assert.deepEqual(await checkLedgerInvariants(testDb.db), [])
  const v = await violationsWhile("UPDATE funds_movement SET state = 'RESERVED' WHERE id = ?", "UPDATE funds_movement SET state = 'COMMITTED' WHERE id = ?", [transferId])
  assert.deepEqual(names(v), ['fundsOutClearingMatches'])
})
