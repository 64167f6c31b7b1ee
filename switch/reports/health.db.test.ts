// History and health per hour on the real MariaDB: transfers ended per hour, failures by FSPIOP error code
// and the failure rate, latency percentiles from the database's power-of-two histogram; a participant's
// position hour by hour from its journal, against its cap.
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

async function ended(payer: string, state: 'COMMITTED' | 'ABORTED' | 'EXPIRED', latency_ms: number, errorCode: string | null = null): Promise<void> {
  const completed = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000 - 1_800_000) // half past the previous hour: one bucket
  await testDb.db('transfer').insert({
    id: randomUUID(), payer_fsp: payer, payee_fsp: 'wallet-b', payer_account_id: await positionAccount(testDb.db, payer), payee_account_id: await positionAccount(testDb.db, 'wallet-b'),
    amount: '1', currency: 'USD', ilp_condition: randomBytes(32).toString('base64url'), ilp_packet: 'AQ', expiration: completed, state, prepare_hash: 'test',
    error_code: errorCode, created_at: new Date(completed.getTime() - latency_ms), completed_at: completed,
  })
}

before(async () => {
  testDb = await createTestDb('report_health')
  admin = await testAdminApp(testDb.db)
  await setupHub(admin, 'USD')
  await onboardDfsp(admin, { name: 'bank-a', ndc: '1000', fundsIn: '1000' })
  await onboardDfsp(admin, { name: 'wallet-b', ndc: '1000', fundsIn: '1000' })
  await onboardDfsp(admin, { name: 'mfi-c', ndc: '1000', fundsIn: '1000' })
  for (const latency_ms of [3, 3, 3, 5, 5, 5, 5, 20, 20, 300]) await ended('bank-a', 'COMMITTED', latency_ms)
  await ended('bank-a', 'ABORTED', 10, '4001')
  await ended('bank-a', 'ABORTED', 10, '4001')
  await ended('mfi-c', 'ABORTED', 10, '5105')
  await ended('mfi-c', 'EXPIRED', 10)
})
after(async () => {
  await admin.close()
  await testDb.drop()
})

test('per hour: committed and failed transfers, failures by error code (an expiry as 3303), the failure rate', async () => {
  const hours = (await call(admin, 'GET', '/reports/health?hours=2')).body
  assert.equal(hours.length, 1)
  assert.deepEqual([hours[0].committed, hours[0].failed], [10, 4])
  assert.deepEqual(hours[0].failuresByCode, { 4001: 2, 5105: 1, 3303: 1 })
  assert.equal(hours[0].failureRatePercent, '28.6')
  const bankA = (await call(admin, 'GET', '/reports/health?hours=2&participant=bank-a')).body
  assert.deepEqual(bankA.flatMap((h: { failuresByCode: Record<string, number> }) => Object.keys(h.failuresByCode)), ['4001'], 'only its own transfers')
})

test('latency percentiles are the upper bounds of power-of-two buckets of the committed transfers\' prepare-to-final time', async () => {
  const [hour] = (await call(admin, 'GET', '/reports/health?hours=2&participant=bank-a')).body
  assert.equal(hour.latency_ms_p50, 8, '7 of 10 within 8 ms (3 and 5 ms)')
  assert.equal(hour.latency_ms_p99, 512, 'the slowest, 300 ms, is in (256, 512]')
})

test('a participant\'s position hour by hour from its journal, with the opening position and its cap', async () => {
  await commitTransfer(testDb.db, 'bank-a', 'wallet-b', '12.5')
  await commitTransfer(testDb.db, 'bank-a', 'wallet-b', '7.25')
  const history = (await call(admin, 'GET', '/reports/participants/bank-a/positionHistory?currency=USD&hours=2')).body
  assert.equal(history.netDebitCap, '1000')
  assert.equal(history.opening, '0')
  assert.equal(history.hours.at(-1).position, '19.75')
  assert.equal((await call(admin, 'GET', '/reports/participants/bank-a/positionHistory?currency=EUR')).status, 404)
  assert.equal((await call(admin, 'GET', '/reports/participants/bank-a/positionHistory')).status, 400, 'the currency is required')
})
