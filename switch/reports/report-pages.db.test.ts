// The paged reports behind the web view, on the real MariaDB through the admin API: participants paged,
// sorted and filtered on the server; a statement's running balance carried across pages; transfers filtered
// by state and date; one transfer's life; a settlement's detail and journal; funds movements.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { createTestDb, type TestDb } from '../../test/support/db.ts'
import { testAdminApp } from '../../test/support/apps.ts'
import { call, onboardDfsp, setupHub } from '../../test/support/fixtures.ts'
import { commitTransfer } from '../../test/support/committed-transfers.ts'
import { toUnits } from '../../ledger/domain/money.ts'

let testDb: TestDb
let admin: FastifyInstance
const committed: string[] = []

before(async () => {
  testDb = await createTestDb('report_pages')
  admin = await testAdminApp(testDb.db)
  await setupHub(admin, 'USD')
  await onboardDfsp(admin, { name: 'bank-a', ndc: '3000', fundsIn: '200' })
  await onboardDfsp(admin, { name: 'wallet-b', ndc: '1000', fundsIn: '900' })
  await onboardDfsp(admin, { name: 'mfi_c', ndc: '2000', fundsIn: '500' })
  for (const amount of ['10', '20.5', '30', '40.25', '50']) committed.push((await commitTransfer(testDb.db, 'bank-a', 'wallet-b', amount)).id)
})
after(async () => {
  await admin.close()
  await testDb.drop()
})

const get = async (url: string) => {
  const r = await call(admin, 'GET', url)
  assert.equal(r.status, 200, JSON.stringify(r.body))
  return r.body
}

test('participants come a page at a time with the total, in the positions report\'s own rows', async () => {
  const all = await get('/reports/positions')
  const first = await get('/reports/participants?limit=2')
  const second = await get('/reports/participants?limit=2&offset=2')
  assert.equal(first.total, 3)
  assert.deepEqual([...first.rows, ...second.rows], all)
})

test('participants sort on the server by any column, funds by the amount held (not the account\'s negative value)', async () => {
  const byFunds = await get('/reports/participants?sort=funds&order=desc')
  assert.deepEqual(byFunds.rows.map((r: { participant: string }) => r.participant), ['wallet-b', 'mfi_c', 'bank-a'])
  const byCap = await get('/reports/participants?sort=netDebitCap')
  assert.deepEqual(byCap.rows.map((r: { netDebitCap: string }) => r.netDebitCap), ['1000', '2000', '3000'])
  const byCapUsed = await get('/reports/participants?sort=capUsed&order=desc')
  assert.equal(byCapUsed.rows[0].participant, 'bank-a')
  assert.equal((await call(admin, 'GET', '/reports/participants?sort=bogus')).status, 400)
})

test('the name filter matches a part of the name, its _ and % taken literally', async () => {
  assert.deepEqual((await get('/reports/participants?name=_')).rows.map((r: { participant: string }) => r.participant), ['mfi_c'])
  assert.equal((await get('/reports/participants?name=%25')).total, 0)
  assert.equal((await get('/reports/participants?name=bank&currency=EUR')).total, 0)
})

test('a statement page carries the running balance of the lines before it', async () => {
  const full = (await get('/reports/participants/bank-a/statement')).filter((l: { account: string }) => l.account === 'POSITION')
  const pages = [await get('/reports/participants/bank-a/journal?limit=2'), await get('/reports/participants/bank-a/journal?limit=2&offset=2'), await get('/reports/participants/bank-a/journal?limit=2&offset=4')]
  assert.equal(pages[0].total, 5)
  assert.deepEqual(pages.flatMap((p) => p.rows.map((r: { balance: string }) => r.balance)), full.map((l: { balance: string }) => l.balance))
  assert.deepEqual(pages.flatMap((p) => p.rows.map((r: { balance: string }) => r.balance)), ['10', '30.5', '60.5', '100.75', '150.75'])
  const settlement = await get('/reports/participants/bank-a/journal?account=SETTLEMENT')
  assert.deepEqual(settlement.rows.map((r: { kind: string; balance: string }) => [r.kind, r.balance]), [['FUNDS_IN', '-200']])
  assert.deepEqual(await get('/reports/participants/nobody/journal'), { account: null, total: 0, rows: [] })
})

test('transfers filter by state and date, newest first', async () => {
  const all = await get('/reports/participants/wallet-b/transfers')
  assert.equal(all.total, 5)
  assert.ok(all.rows.every((r: { direction: string }) => r.direction === 'in'))
  assert.equal((await get('/reports/participants/wallet-b/transfers?state=ABORTED')).total, 0)
  assert.equal((await get('/reports/participants/wallet-b/transfers?state=COMMITTED&limit=2')).rows.length, 2)
  const future = new Date(Date.now() + 3_600_000).toISOString()
  assert.equal((await get(`/reports/participants/wallet-b/transfers?from=${encodeURIComponent(future)}`)).total, 0)
  assert.equal((await call(admin, 'GET', '/reports/participants/wallet-b/transfers?from=yesterday')).status, 400)
})

test('one transfer\'s life: its states, journal lines and the callbacks still retrying or dead-lettered', async () => {
  const id = committed[1]!
  await testDb.db('callback_retry').insert({ recipient: 'wallet-b', reference: id, payload: '{}', attempts: 2, last_reason: 'HTTP 503', due_at: new Date() })
  await testDb.db('callback_dead_letter').insert({ recipient: 'bank-a', method: 'PUT', url: 'http://bank-a/transfers', reference: id, payload: '{}', reason: 'timeout', attempts: 6 })
  const life = await get(`/reports/transfers/${id}`)
  assert.equal(life.transfer.amount, '20.5')
  assert.deepEqual(life.states.map((s: { state: string }) => s.state), ['RECEIVED', 'RESERVED', 'COMMITTED'])
  assert.deepEqual(life.journal.map((e: { kind: string; lines: { participant: string; amount: string }[] }) => [e.kind, e.lines.map((l) => `${l.participant} ${l.amount}`)]), [['TRANSFER_COMMIT', ['bank-a 20.5', 'wallet-b -20.5']]])
  assert.deepEqual(life.callbacks.map((c: { recipient: string; outcome: string; reason: string }) => [c.recipient, c.outcome, c.reason]), [['wallet-b', 'retrying', 'HTTP 503'], ['bank-a', 'dead-lettered', 'timeout']])
  const unknown = await call(admin, 'GET', `/reports/transfers/${randomUUID()}`)
  assert.equal(unknown.status, 404)
  assert.equal(unknown.body.errorInformation.errorCode, '3208')
})

test('a settlement\'s detail: its nets per participant, its windows, and the journal its steps posted, also as CSV', async () => {
  const window = (await get('/v2/settlementWindows?state=OPEN'))[0].settlementWindowId
  await call(admin, 'POST', `/v2/settlementWindows/${window}`, { state: 'CLOSED', reason: 'test' })
  const settlement = (await call(admin, 'POST', '/v2/settlements', { settlementModel: 'DEFERRED_NET_USD', reason: 'test', settlementWindows: [{ id: window }] })).body
  const before = await get(`/reports/settlements/${settlement.id}/detail`)
  assert.deepEqual(before.windows, [{ id: window, state: 'PENDING_SETTLEMENT' }])
  assert.deepEqual(before.accounts.map((a: { participant: string; netSettlementAmount: string }) => [a.participant, a.netSettlementAmount]), [['bank-a', '150.75'], ['wallet-b', '-150.75']])
  assert.deepEqual(before.journal, [])
  for (const state of ['PS_TRANSFERS_RECORDED', 'PS_TRANSFERS_RESERVED']) {
    const participants = settlement.participants.map((p: { id: number; accounts: { id: number }[] }) => ({ id: p.id, accounts: p.accounts.map((a) => ({ id: a.id, state })) }))
    assert.equal((await call(admin, 'PUT', `/v2/settlements/${settlement.id}`, { participants })).status, 200)
  }
  const after = await get(`/reports/settlements/${settlement.id}/detail`)
  assert.equal(after.settlement.state, 'PS_TRANSFERS_RESERVED')
  assert.deepEqual([...new Set(after.journal.map((l: { kind: string }) => l.kind))], ['SETTLEMENT_POSITION_RESET'])
  const sums = new Map<number, bigint>()
  for (const l of after.journal as { entry: number; amount: string }[]) sums.set(l.entry, (sums.get(l.entry) ?? 0n) + toUnits(l.amount))
  assert.ok(sums.size > 0)
  for (const [entry, sum] of sums) assert.equal(sum, 0n, `entry ${entry} balances`)
  const csv = await admin.inject({ method: 'GET', url: `/reports/settlements/${settlement.id}/journal?format=csv` })
  assert.match(csv.body, /^entry,time,kind,participant,account,currency,amount\n/)
  assert.equal((await call(admin, 'GET', '/reports/settlements/999/detail')).status, 404)
})

test('funds movements outside transfers, newest first, with who recorded them', async () => {
  const page = await get('/reports/fundsMovements?participant=wallet-b')
  assert.equal(page.total, 1)
  assert.deepEqual([page.rows[0].direction, page.rows[0].amount, page.rows[0].state], ['IN', '900', 'COMMITTED'])
  assert.equal((await get('/reports/fundsMovements?limit=2')).rows.length, 2)
})
