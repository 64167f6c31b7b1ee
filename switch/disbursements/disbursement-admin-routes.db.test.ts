import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { createTestDb, type TestDb } from '../../test/support/db.ts'
import { testAdminApp } from '../../test/support/apps.ts'
import { call } from '../../test/support/fixtures.ts'
import { createMemoryBulkPayments } from '../../test/support/memory-bulk-payments.ts'
import { createMysqlOracle } from '../lookup/oracle.ts'
import { silentLogger } from '../observability/logger.ts'
import { createDisbursementEngine } from './disbursement-engine.ts'
import { createDisbursement } from './disbursement-store.ts'
import { contentHash, type Submission } from './submission.ts'
import { progressLine } from './disbursements-cli.ts'

let t: TestDb
let admin: FastifyInstance
before(async () => {
  t = await createTestDb('disb_admin')
  admin = await testAdminApp(t.db)
  const oracle = createMysqlOracle(t.db)
  await oracle.registerAll([{ type: 'MSISDN', id: '1' }], 'mmp')
  const submission = (id: string): Submission => ({ format: 'csv', disbursementId: id, currency: 'USD', meta: {}, beneficiaries: [
    { idType: 'MSISDN', idValue: '1', amount: '3', name: '', reference: '' }, { idType: 'MSISDN', idValue: '2', amount: '4', name: '', reference: '' }] })
  for (const id of ['adm-1', 'adm-2']) await createDisbursement(t.db, id === 'adm-1' ? 'ministry' : 'mmp', submission(id), contentHash(submission(id)))
  await createDisbursementEngine({ db: t.db, oracle, bulk: createMemoryBulkPayments(), log: silentLogger() }).run('adm-1')
})
after(async () => {
  await admin.close()
  await t.drop()
})

test('the admin API lists disbursements with progress, filtered by payer, and shows one; an unknown id is 404', async () => {
  const all = await call(admin, 'GET', '/disbursements')
  assert.equal(all.status, 200)
  assert.deepEqual(all.body.map((d: { disbursementId: string }) => d.disbursementId).sort(), ['adm-1', 'adm-2'])
  const ministry = await call(admin, 'GET', '/disbursements?payer=ministry')
  assert.deepEqual(ministry.body.map((d: { disbursementId: string; paid: number; unresolved: number; state: string }) => [d.disbursementId, d.state, d.paid, d.unresolved]), [['adm-1', 'COMPLETED', 1, 1]])
  const one = await call(admin, 'GET', '/disbursements/adm-2')
  assert.deepEqual([one.body.state, one.body.pending, one.body.amounts.pending], ['RECEIVED', 2, '7'])
  assert.equal((await call(admin, 'GET', '/disbursements/nope')).status, 404)
})

test("the CLI's progress line shows the share of beneficiaries settled (paid, failed or unresolved)", async () => {
  const one = await call(admin, 'GET', '/disbursements/adm-1')
  assert.match(progressLine(one.body), /COMPLETED .*\[#{30}\] 100\.0% {2}paid 1 failed 0 unresolved 1 pending 0 of 2 {2}\(3 of 7\)/)
  const pending = await call(admin, 'GET', '/disbursements/adm-2')
  assert.match(progressLine(pending.body), /\[-{30}\] 0\.0%/)
})
