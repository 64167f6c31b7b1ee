// Alerts on the real MariaDB (the default rules: 80 % of the cap; a failure rate of 10 % or more in the
// last hour and 3 times the 24 hours before, once 20 transfers ended in that hour).
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes, randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { createTestDb, type TestDb } from '../../test/support/db.ts'
import { testAdminApp } from '../../test/support/apps.ts'
import { call, onboardDfsp, setupHub } from '../../test/support/fixtures.ts'
import { commitTransfer, positionAccount } from '../../test/support/committed-transfers.ts'

let testDb: TestDb
let admin: FastifyInstance

/** `n` transfers of `payer` to `payee` that ended `ago_ms` ago, in `state`. */
async function ended(n: number, payer: string, payee: string, state: 'COMMITTED' | 'ABORTED', ago_ms: number): Promise<void> {
  const completed = new Date(Date.now() - ago_ms)
  const payerAccount = await positionAccount(testDb.db, payer), payeeAccount = await positionAccount(testDb.db, payee)
  await testDb.db('transfer').insert(Array.from({ length: n }, () => ({
    id: randomUUID(), payer_fsp: payer, payee_fsp: payee, payer_account_id: payerAccount, payee_account_id: payeeAccount, amount: '1', currency: 'USD',
    ilp_condition: randomBytes(32).toString('base64url'), ilp_packet: 'AQ', expiration: completed, state, prepare_hash: 'test',
    error_code: state === 'ABORTED' ? '5104' : null, created_at: completed, completed_at: completed,
  })))
}

before(async () => {
  testDb = await createTestDb('report_alerts')
  admin = await testAdminApp(testDb.db)
  await setupHub(admin, 'USD')
  for (const name of ['near-cap', 'below-cap', 'payee', 'jumped', 'always-failing', 'few']) await onboardDfsp(admin, { name, ndc: '1000', fundsIn: '10000' })
})
after(async () => {
  await admin.close()
  await testDb.drop()
})

test('a participant whose position is at 80 % of its net debit cap or more is alerted, one below it is not', async () => {
  await commitTransfer(testDb.db, 'near-cap', 'payee', '850')
  await commitTransfer(testDb.db, 'below-cap', 'payee', '799.99')
  const caps = (await call(admin, 'GET', '/reports/alerts')).body.filter((a: { kind: string }) => a.kind === 'cap')
  assert.deepEqual(caps.map((a: Record<string, string>) => [a.participant, a.currency, a.position, a.netDebitCap, a.capUsedPercent]), [['near-cap', 'USD', '850', '1000', '85.0']])
})

test('a failure rate that jumped in the last hour is alerted; a steady one, or one over too few transfers, is not', async () => {
  // jumped: 5 % failed over the day before, 40 % in the last hour.
  await ended(95, 'jumped', 'payee', 'COMMITTED', 5 * 3_600_000)
  await ended(5, 'jumped', 'payee', 'ABORTED', 5 * 3_600_000)
  await ended(12, 'jumped', 'payee', 'COMMITTED', 600_000)
  await ended(8, 'jumped', 'payee', 'ABORTED', 600_000)
  // always-failing: 40 % before and now, no jump.
  await ended(60, 'always-failing', 'payee', 'COMMITTED', 5 * 3_600_000)
  await ended(40, 'always-failing', 'payee', 'ABORTED', 5 * 3_600_000)
  await ended(12, 'always-failing', 'payee', 'COMMITTED', 600_000)
  await ended(8, 'always-failing', 'payee', 'ABORTED', 600_000)
  // few: all 5 of the last hour failed, but 5 is under the 20 the rule needs.
  await ended(5, 'few', 'payee', 'ABORTED', 600_000)
  const failures = (await call(admin, 'GET', '/reports/alerts')).body.filter((a: { kind: string }) => a.kind === 'failures')
  assert.deepEqual(failures.map((a: Record<string, unknown>) => [a.participant, a.lastHourEnded, a.lastHourFailed, a.lastHourPercent, a.dayBeforePercent]), [['jumped', 20, 8, '40.0', '5.0']],
    'the payee, counted for every transfer it received, stays under the jump factor')
})
