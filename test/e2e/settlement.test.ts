// Settlement windows and settlements through Mojaloop's central-settlement API on the real MariaDB,
// with the ledger invariants checked after every step.
import { after, afterEach, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { FastifyInstance } from 'fastify'
import { createTestDb, type TestDb } from '../support/db.ts'
import { testAdminApp } from '../support/apps.ts'
import { call, onboardDfsp, setupHub } from '../support/fixtures.ts'
import { snapshot } from '../support/snapshot.ts'
import { commitTransfer } from '../support/committed-transfers.ts'
import { assertLedgerInvariants } from '../../ledger/invariants/ledger-invariants.ts'
import { pipelineInvariants } from '../../switch/invariants/pipeline-invariants.ts'
import { startWindowSchedule } from '../../switch/settlement/window-schedule.ts'
import { createMySqlLedger } from '../../ledger/store/mysql-ledger.ts'
import { silentLogger } from '../../switch/observability/logger.ts'

/** What the admin API answers, as far as these tests read it. */
interface AccountBody { ledgerAccountType: string; value: number; reservedValue: number }
interface SettlementBody {
  id: number
  state: string
  settlementWindows: { id: number }[]
  participants: { id: number; accounts: { netSettlementAmount: { amount: string } }[] }[]
}
interface WindowReportRow { participant: string; netPosition: string; transfers: number }
interface StatementRow { kind: string; account: string; balance: string }
interface HubRow { account: string; currency: string; value: string }
interface VolumeRow { transfers: number }
interface PositionRow { participant: string; netDebitCap: string }

let testDb: TestDb
let admin: FastifyInstance
const ids: Record<string, { participant: number; position: number; settlement: number }> = {}

before(async () => {
  testDb = await createTestDb('settlement')
  admin = await testAdminApp(testDb.db)
  await setupHub(admin, 'USD')
  for (const name of ['dfspa', 'dfspb', 'dfspc']) {
    const { positionAccountId, settlementAccountId } = await onboardDfsp(admin, { name, ndc: '100000', fundsIn: '10000' })
    const participant = await testDb.db('participant').where({ name }).first()
    ids[name] = { participant: participant.id, position: positionAccountId, settlement: settlementAccountId }
  }
})
afterEach(async () => assertLedgerInvariants(testDb.db, pipelineInvariants()))
after(async () => {
  await admin.close()
  await testDb.drop()
})

const openWindow = async () => (await call(admin, 'GET', '/v2/settlementWindows?state=OPEN')).body[0]
/** A new, empty window: whatever earlier tests committed stays in the one closed here. */
const freshWindow = async () => (await close((await openWindow()).settlementWindowId)).body
const close = async (id: number) => call(admin, 'POST', `/v2/settlementWindows/${id}`, { state: 'CLOSED', reason: 'end of cycle' })
const balance = async (name: string, type: string) => (await call(admin, 'GET', `/participants/${name}/accounts`)).body.find((a: AccountBody) => a.ledgerAccountType === type).value
const move = (settlementId: number, state: string, names: string[]) => call(admin, 'PUT', `/v2/settlements/${settlementId}`, {
  participants: names.map((n) => ({ id: ids[n]!.participant, accounts: [{ id: ids[n]!.position, state, reason: `to ${state}` }] })),
})

describe('windows', () => {
  test('closing the open window opens the next; committed transfers stay in the window they landed in', async () => {
    const first = await openWindow()
    const t = await commitTransfer(testDb.db, 'dfspa', 'dfspb', '100')
    assert.equal(Number(t.windowId), first.settlementWindowId)
    const next = (await close(first.settlementWindowId)).body
    assert.equal(next.state, 'OPEN')
    assert.notEqual(next.settlementWindowId, first.settlementWindowId)
    assert.equal((await call(admin, 'GET', `/v2/settlementWindows/${first.settlementWindowId}`)).body.state, 'CLOSED')
    const later = await commitTransfer(testDb.db, 'dfspa', 'dfspb', '5')
    assert.equal(Number(later.windowId), next.settlementWindowId)
  })

  test('closing a window that is not open is refused and changes nothing', async () => {
    const closed = (await call(admin, 'GET', '/v2/settlementWindows?state=CLOSED')).body[0]
    const before = await snapshot(testDb.db)
    const r = await close(closed.settlementWindowId)
    assert.equal(r.status, 400)
    assert.equal(r.body.errorInformation.errorCode, '3100')
    assert.equal((await close(999999)).body.errorInformation.errorCode, '3200')
    assert.equal(await snapshot(testDb.db), before)
  })

  test('a schedule closes the open window once it is older than the interval', async () => {
    const schedule = startWindowSchedule({ ledger: createMySqlLedger(testDb.db), log: silentLogger(), interval_ms: 200 })
    try {
      const before = await openWindow()
      await new Promise((r) => setTimeout(r, 250))
      const next = await schedule.closeDue()
      assert.ok(next)
      assert.equal((await call(admin, 'GET', `/v2/settlementWindows/${before.settlementWindowId}`)).body.state, 'CLOSED')
      assert.equal(await schedule.closeDue(), undefined, 'the new window is not due yet')
    } finally {
      schedule.stop()
    }
  })

  test('closing windows while transfers commit loses and delays nothing', async () => {
    const committed: { id: string; windowId: string }[] = []
    let running = true
    const load = (async () => {
      while (running) committed.push(await commitTransfer(testDb.db, 'dfspc', 'dfspa', '1'))
    })()
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 150))
      assert.equal((await close((await openWindow()).settlementWindowId)).status, 200)
    }
    running = false
    await load
    assert.ok(committed.length > 10)
    const rows = await testDb.db('journal_entry').whereIn('reference', committed.map((c) => c.id)).select('reference', 'settlement_window_id', 'created_at')
    assert.equal(rows.length, committed.length, 'every commit landed, once')
    const closedAt = new Map((await testDb.db<{ settlement_window_id: string; state: string; created_at: Date }>('settlement_window_state_change').where({ state: 'CLOSED' })).map((c) => [String(c.settlement_window_id), c.created_at.getTime()]))
    for (const r of rows) {
      const closed = closedAt.get(String(r.settlement_window_id))
      assert.ok(closed === undefined || r.created_at.getTime() <= closed, `entry ${r.reference} was written before its window closed`)
    }
  })
})

describe('settlements', () => {
  test('a deferred net settlement goes through every state, moves the funds and resets positions', async () => {
    const window = await freshWindow()
    await commitTransfer(testDb.db, 'dfspa', 'dfspb', '300')
    await commitTransfer(testDb.db, 'dfspb', 'dfspc', '50')
    await close(window.settlementWindowId)
    const before = { a: await balance('dfspa', 'SETTLEMENT'), b: await balance('dfspb', 'SETTLEMENT'), c: await balance('dfspc', 'SETTLEMENT') }
    const positionsBefore = { a: Number(await balance('dfspa', 'POSITION')), b: Number(await balance('dfspb', 'POSITION')), c: Number(await balance('dfspc', 'POSITION')) }
    const created = await call(admin, 'POST', '/v2/settlements', { settlementModel: 'DEFERRED_NET_USD', reason: 'daily', settlementWindows: [{ id: window.settlementWindowId }] })
    assert.equal(created.status, 200, JSON.stringify(created.body))
    assert.equal(created.body.state, 'PENDING_SETTLEMENT')
    const nets = Object.fromEntries((created.body as SettlementBody).participants.map((p) => [p.id, p.accounts[0].netSettlementAmount.amount]))
    assert.deepEqual(nets, { [ids.dfspa!.participant]: '300', [ids.dfspb!.participant]: '-250', [ids.dfspc!.participant]: '-50' })
    assert.equal((await call(admin, 'GET', `/v2/settlementWindows/${window.settlementWindowId}`)).body.state, 'PENDING_SETTLEMENT')
    const all = ['dfspa', 'dfspb', 'dfspc']
    for (const state of ['PS_TRANSFERS_RECORDED', 'PS_TRANSFERS_RESERVED', 'PS_TRANSFERS_COMMITTED', 'SETTLED']) {
      const r = await move(created.body.id, state, all)
      assert.equal(r.status, 200, JSON.stringify(r.body))
      assert.equal(r.body.state, state)
      await assertLedgerInvariants(testDb.db, pipelineInvariants())
    }
    assert.equal(Number(await balance('dfspa', 'SETTLEMENT')), Number(before.a) + 300, 'dfspa paid 300')
    assert.equal(Number(await balance('dfspb', 'SETTLEMENT')), Number(before.b) - 250, 'dfspb received 250')
    assert.equal(Number(await balance('dfspc', 'SETTLEMENT')), Number(before.c) - 50, 'dfspc received 50')
    assert.equal(Number(await balance('dfspa', 'POSITION')), positionsBefore.a - 300)
    assert.equal(Number(await balance('dfspb', 'POSITION')), positionsBefore.b + 250)
    assert.equal((await call(admin, 'GET', `/v2/settlementWindows/${window.settlementWindowId}`)).body.state, 'SETTLED')
  })

  test('bad settlement requests are refused and change nothing', async () => {
    const open = await openWindow()
    const before = await snapshot(testDb.db)
    const refused = async (method: 'POST' | 'PUT', url: string, body: unknown, code: string) => {
      const r = await call(admin, method, url, body)
      assert.equal(r.body?.errorInformation?.errorCode, code, JSON.stringify(r.body))
    }
    await refused('POST', '/v2/settlements', { settlementModel: 'DEFERRED_NET_USD', reason: 'x', settlementWindows: [{ id: open.settlementWindowId }] }, '3100')
    await refused('POST', '/v2/settlements', { settlementModel: 'NOPE', reason: 'x', settlementWindows: [{ id: open.settlementWindowId }] }, '3100')
    await refused('POST', '/v2/settlements', { settlementModel: 'DEFERRED_NET_USD', reason: 'x', settlementWindows: [{ id: 999999 }] }, '3200')
    await refused('POST', '/v2/settlements', { settlementModel: 'DEFERRED_NET_USD', reason: 'x' }, '3102')
    await refused('PUT', '/v2/settlements/999999', { state: 'ABORTED', reason: 'x' }, '3200')
    for (const query of ['fromDateTime=yesterday', 'state=HALF_OPEN', 'participantId=x']) {
      const r = await call(admin, 'GET', `/v2/settlementWindows?${query}`)
      assert.equal(r.status, 400, query)
    }
    assert.equal(await snapshot(testDb.db), before)
  })

  test('skipping a state is refused; an abort after reservation gives positions back and frees the window', async () => {
    const window = await freshWindow()
    await commitTransfer(testDb.db, 'dfspa', 'dfspc', '70')
    await close(window.settlementWindowId)
    const positionBefore = await balance('dfspa', 'POSITION')
    const created = (await call(admin, 'POST', '/v2/settlements', { settlementModel: 'DEFERRED_NET_USD', reason: 'x', settlementWindows: [{ id: window.settlementWindowId }] })).body
    const skip = await move(created.id, 'PS_TRANSFERS_RESERVED', ['dfspa'])
    assert.equal(skip.body.errorInformation.errorCode, '3100')
    await move(created.id, 'PS_TRANSFERS_RECORDED', ['dfspa', 'dfspc'])
    await move(created.id, 'PS_TRANSFERS_RESERVED', ['dfspa', 'dfspc'])
    assert.equal(Number(await balance('dfspa', 'POSITION')), Number(positionBefore) - 70, 'payer position reset at reservation')
    const aborted = await call(admin, 'PUT', `/v2/settlements/${created.id}`, { state: 'ABORTED', reason: 'bank holiday' })
    assert.equal(aborted.body.state, 'ABORTED')
    assert.equal(await balance('dfspa', 'POSITION'), positionBefore, 'position given back')
    assert.equal((await call(admin, 'GET', `/v2/settlementWindows/${window.settlementWindowId}`)).body.state, 'ABORTED')
    const again = await call(admin, 'POST', '/v2/settlements', { settlementModel: 'DEFERRED_NET_USD', reason: 'retry', settlementWindows: [{ id: window.settlementWindowId }] })
    assert.equal(again.status, 200, 'an aborted window can be settled again')
  })

  test('a window named twice in one request is settled once', async () => {
    const window = await freshWindow()
    await commitTransfer(testDb.db, 'dfspb', 'dfspc', '9')
    await close(window.settlementWindowId)
    const id = window.settlementWindowId
    const created = await call(admin, 'POST', '/v2/settlements', { settlementModel: 'DEFERRED_NET_USD', reason: 'x', settlementWindows: [{ id }, { id }] })
    assert.equal(created.status, 200, JSON.stringify(created.body))
    assert.deepEqual((created.body as SettlementBody).settlementWindows.map((w) => w.id), [id])
    assert.equal((await call(admin, 'PUT', `/v2/settlements/${created.body.id}`, { state: 'ABORTED', reason: 'test done' })).body.state, 'ABORTED')
  })

  test('a window holding two currencies is settled once per currency, each under its own model', async () => {
    await setupHub(admin, 'TZS')
    for (const name of ['dfspt1', 'dfspt2']) {
      const { positionAccountId, settlementAccountId } = await onboardDfsp(admin, { name, currency: 'TZS', ndc: '1000000', fundsIn: '100000' })
      ids[name] = { participant: (await testDb.db('participant').where({ name }).first()).id, position: positionAccountId, settlement: settlementAccountId }
    }
    const window = await freshWindow()
    await commitTransfer(testDb.db, 'dfspa', 'dfspb', '20')
    await commitTransfer(testDb.db, 'dfspt1', 'dfspt2', '1500', 'TZS')
    await close(window.settlementWindowId)
    const settle = (model: string) => call(admin, 'POST', '/v2/settlements', { settlementModel: model, reason: model, settlementWindows: [{ id: window.settlementWindowId }] })
    const windowState = async () => (await call(admin, 'GET', `/v2/settlementWindows/${window.settlementWindowId}`)).body.state
    const participantsOf = (settlement: SettlementBody) => settlement.participants.map((p) => p.id).sort()

    const usd = await settle('DEFERRED_NET_USD')
    assert.equal(usd.status, 200, JSON.stringify(usd.body))
    assert.deepEqual(participantsOf(usd.body), [ids.dfspa!.participant, ids.dfspb!.participant].sort(), 'only the USD nets')
    assert.equal((await settle('DEFERRED_NET_USD')).body?.errorInformation?.errorCode, '3100', 'the window\'s USD is claimed already')
    const tzs = await settle('DEFERRED_NET_TZS')
    assert.equal(tzs.status, 200, JSON.stringify(tzs.body))
    assert.deepEqual(participantsOf(tzs.body), [ids.dfspt1!.participant, ids.dfspt2!.participant].sort(), 'only the TZS nets')

    assert.equal((await call(admin, 'PUT', `/v2/settlements/${tzs.body.id}`, { state: 'ABORTED', reason: 'wrong day' })).body.state, 'ABORTED')
    assert.equal(await windowState(), 'PENDING_SETTLEMENT', 'its USD is still being settled')
    const tzsAgain = await settle('DEFERRED_NET_TZS')
    assert.equal(tzsAgain.status, 200, 'the aborted currency can be settled again')

    const usdNames = ['dfspa', 'dfspb']
    const tzsNames = ['dfspt1', 'dfspt2']
    for (const state of ['PS_TRANSFERS_RECORDED', 'PS_TRANSFERS_RESERVED', 'PS_TRANSFERS_COMMITTED', 'SETTLED']) assert.equal((await move(usd.body.id, state, usdNames)).body.state, state)
    assert.equal(await windowState(), 'PENDING_SETTLEMENT', 'settled in USD, not yet in TZS')
    for (const state of ['PS_TRANSFERS_RECORDED', 'PS_TRANSFERS_RESERVED', 'PS_TRANSFERS_COMMITTED', 'SETTLED']) assert.equal((await move(tzsAgain.body.id, state, tzsNames)).body.state, state)
    assert.equal(await windowState(), 'SETTLED')
    assert.equal(await balance('dfspt1', 'POSITION'), 0, 'the TZS payer\'s position is reset')
  })

  test('a payer\'s funds are held from reservation: funds out cannot take them before the commit', async () => {
    for (const name of ['dfspp', 'dfspq']) {
      const { positionAccountId, settlementAccountId } = await onboardDfsp(admin, { name, ndc: '100000', fundsIn: '500' })
      ids[name] = { participant: (await testDb.db('participant').where({ name }).first()).id, position: positionAccountId, settlement: settlementAccountId }
    }
    const window = await freshWindow()
    await commitTransfer(testDb.db, 'dfspp', 'dfspq', '400')
    await close(window.settlementWindowId)
    const created = (await call(admin, 'POST', '/v2/settlements', { settlementModel: 'DEFERRED_NET_USD', reason: 'x', settlementWindows: [{ id: window.settlementWindowId }] })).body
    await move(created.id, 'PS_TRANSFERS_RECORDED', ['dfspp', 'dfspq'])
    await move(created.id, 'PS_TRANSFERS_RESERVED', ['dfspp', 'dfspq'])
    await assertLedgerInvariants(testDb.db, pipelineInvariants())
    const fundsOut = (amount: string) => call(admin, 'POST', `/participants/dfspp/accounts/${ids.dfspp!.settlement}`, {
      transferId: crypto.randomUUID(), action: 'recordFundsOutPrepareReserve', reason: 'payout', amount: { amount, currency: 'USD' },
    })
    const refused = await fundsOut('100.01')
    assert.equal(refused.body?.errorInformation?.errorCode, '4001', 'only 100 is free while 400 is held for the settlement')
    assert.equal((await fundsOut('100')).status, 202)
    for (const state of ['PS_TRANSFERS_COMMITTED', 'SETTLED']) assert.equal((await move(created.id, state, ['dfspp', 'dfspq'])).body.state, state)
    const settlementAccount = (await call(admin, 'GET', '/participants/dfspp/accounts')).body.find((a: AccountBody) => a.ledgerAccountType === 'SETTLEMENT')
    assert.deepEqual([settlementAccount.value, settlementAccount.reservedValue], [0, 0], 'paid 400, the 100 funds out already out of the value, never below zero')
  })

  test('an abort after reservation releases the payer\'s held funds', async () => {
    const window = await freshWindow()
    await commitTransfer(testDb.db, 'dfspq', 'dfspp', '30')
    await close(window.settlementWindowId)
    const created = (await call(admin, 'POST', '/v2/settlements', { settlementModel: 'DEFERRED_NET_USD', reason: 'x', settlementWindows: [{ id: window.settlementWindowId }] })).body
    const held = async () => (await call(admin, 'GET', '/participants/dfspq/accounts')).body.find((a: AccountBody) => a.ledgerAccountType === 'SETTLEMENT').reservedValue
    await move(created.id, 'PS_TRANSFERS_RECORDED', ['dfspp', 'dfspq'])
    await move(created.id, 'PS_TRANSFERS_RESERVED', ['dfspp', 'dfspq'])
    assert.equal(await held(), 30)
    assert.equal((await call(admin, 'PUT', `/v2/settlements/${created.id}`, { state: 'ABORTED', reason: 'x' })).body.state, 'ABORTED')
    assert.equal(await held(), 0)
  })
})

describe('reports', () => {
  test('window report, DFSP statement, hub totals, volumes and positions, as JSON and CSV', async () => {
    const window = await freshWindow()
    await commitTransfer(testDb.db, 'dfspb', 'dfspa', '12.34')
    await close(window.settlementWindowId)
    const report = (await call(admin, 'GET', `/reports/settlementWindows/${window.settlementWindowId}`)).body
    assert.deepEqual((report as WindowReportRow[]).map((r) => [r.participant, r.netPosition, r.transfers]).sort(), [['dfspa', '-12.34', 1], ['dfspb', '12.34', 1]])
    const csv = await admin.inject({ method: 'GET', url: `/reports/settlementWindows/${window.settlementWindowId}?format=csv` })
    assert.equal(csv.headers['content-type'], 'text/csv; charset=utf-8')
    assert.match(csv.body, /^window,participant,currency,netPosition,transfers\n/)
    const statement = (await call(admin, 'GET', '/reports/participants/dfspb/statement')).body as StatementRow[]
    assert.equal(statement[0].kind, 'FUNDS_IN')
    const last = statement.filter((r) => r.account === 'POSITION').at(-1)
    assert.equal(Number(last?.balance), await balance('dfspb', 'POSITION'), 'the running balance ends at the account value')
    const hub = (await call(admin, 'GET', '/reports/hub')).body as HubRow[]
    const fundsIn = await testDb.db('funds_movement').where({ direction: 'IN', currency: 'USD' }).sum({ total: 'amount' }).first()
    assert.equal(Number(hub.find((r) => r.account === 'HUB_RECONCILIATION' && r.currency === 'USD')?.value), Number(fundsIn!.total), 'the hub holds every funds in')
    const volumes = (await call(admin, 'GET', '/reports/volumes')).body as VolumeRow[]
    assert.ok(volumes.reduce((n, r) => n + r.transfers, 0) >= 1)
    const positions = (await call(admin, 'GET', '/reports/positions')).body as PositionRow[]
    assert.equal(positions.find((p) => p.participant === 'dfspb')?.netDebitCap, '100000')
  })
})
