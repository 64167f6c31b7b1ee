// The upgrade to central-ledger's funds out: a ledger whose funds out in flight sit on reserved_value (the
// earlier scheme) is moved to the settlement value and the hub clearing account, and stays sound.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { createTestDb, type TestDb } from '../../test/support/db.ts'
import { assertLedgerInvariants } from '../invariants/ledger-invariants.ts'
import { Decimal } from '../domain/money.ts'
import { postJournalEntry } from './journal.ts'
import { findAccount, findAccountById, insertAccount, insertParticipant } from './participants.ts'
import { up } from './migrations/20261125_0001_funds_out_clearing.ts'

let testDb: TestDb
before(async () => { testDb = await createTestDb('fundsmig') })
after(async () => testDb.drop())

test('funds out RESERVED before the upgrade move from reserved_value to the settlement value, against a new hub clearing account', async () => {
  const transferId = randomUUID()
  const { hubId, settlementId } = await testDb.db.transaction(async (trx) => {
    const hub = await insertParticipant(trx, { name: 'mighub', isHub: true, createdBy: 'test' })
    const reconciliation = await insertAccount(trx, { participantId: hub.id, currency: 'USD', type: 'HUB_RECONCILIATION' })
    const dfsp = await insertParticipant(trx, { name: 'migfsp', isHub: false, createdBy: 'test' })
    const settlement = await insertAccount(trx, { participantId: dfsp.id, currency: 'USD', type: 'SETTLEMENT' })
    await postJournalEntry(trx, { kind: 'FUNDS_IN', reference: randomUUID(), currency: 'USD', createdBy: 'test', lines: [{ accountId: settlement, amount: new Decimal(-100) }, { accountId: reconciliation, amount: new Decimal(100) }] })
    await trx('funds_movement').insert({ id: transferId, participant_id: dfsp.id, account_id: settlement, direction: 'OUT', amount: '30', currency: 'USD', state: 'RESERVED', request_hash: 'h', created_by: 'test' })
    await trx('account').where({ id: settlement }).update({ reserved_value: 30 })
    return { hubId: hub.id, settlementId: settlement }
  })
  await testDb.db.transaction((trx) => up(trx))
  const settlement = (await findAccountById(testDb.db, settlementId))!
  assert.deepEqual([settlement.value, settlement.reservedValue], ['-70.0000', '0.0000'])
  const clearing = (await findAccount(testDb.db, { participantId: hubId, currency: 'USD', type: 'HUB_FUNDS_OUT_CLEARING' }))!
  assert.equal(clearing.value, '-30.0000')
  assert.equal((await testDb.db('journal_entry').where({ reference: transferId }).first()).kind, 'FUNDS_OUT_RESERVE')
  await assertLedgerInvariants(testDb.db)
})
