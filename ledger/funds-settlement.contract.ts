// The ledger port's admin side (ledger/funds-settlement-port.ts) on every implementation: funds in and out
// as central-ledger records them, and a window closed, settled and its positions reset, each implementation
// answering alike. Every test runs in a currency of its own, so the hub's accounts in it hold only its money.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { FundsRequest, HubFundsAccounts } from './funds-settlement-port.ts'
import type { Ledger } from './ledger-port.ts'
import { Decimal, toUnits } from './domain/money.ts'
import { SETTLEMENT_STATES } from './domain/settlement.ts'
import { balance, code, CONTRACT_HUB_NAME, pair, positions, reserve, sum, unique, type ContractDfsp, type LedgerUnderTest } from './ledger-contract-steps.ts'
import { withLedger } from './ledger-contract-steps.ts'

export function runFundsSettlementContract(name: string, factory: () => Promise<LedgerUnderTest>): void {
  describe(`funds and settlement contract: ${name}`, () => {
    const within = withLedger(factory)

    test('the admin lookups find a participant by name and an account by id, active until set otherwise', () => within(async (t) => {
      const { payer } = await pair(t, 'USD', '1000', '0')
      await t.ledger.transaction(async (tx) => {
        assert.deepEqual(await tx.findParticipant(payer.name).then((p) => p && { id: p.id, name: p.name }), { id: payer.participantId, name: payer.name })
        assert.equal(await tx.findParticipant(unique('absent')), undefined)
        const account = await tx.findAccount(payer.settlement)
        assert.deepEqual(account && { id: account.id, participantId: account.participantId, currency: account.currency, type: account.type, isActive: account.isActive },
          { id: payer.settlement, participantId: payer.participantId, currency: 'USD', type: 'SETTLEMENT', isActive: true })
      })
    }))

    test('funds in raises the settlement liquidity against the hub reconciliation; a repeat changes nothing, other content is refused 3106', () => within(async (t) => {
      const CURRENCY = 'NGN'
      const { payer, payee } = await pair(t, CURRENCY, '10000', '0')
      const hub = await hubFunds(t, CURRENCY)
      assert.deepEqual((await positions(t.ledger, [payer, payee], CURRENCY, [reserve(payer, '50')])).map(code), ['4001'], 'no liquidity before funds in')
      const req = fundsRequest(payer, CURRENCY, hub, '100')
      assert.deepEqual(await t.ledger.transaction((tx) => tx.recordFundsIn(req)), { ok: true, duplicate: false })
      assert.deepEqual(await t.ledger.transaction((tx) => tx.recordFundsIn(req)), { ok: true, duplicate: true })
      const modified = await t.ledger.transaction((tx) => tx.recordFundsIn({ ...req, amount: new Decimal('101'), requestHash: 'other' }))
      assert.equal(modified.ok ? 'ok' : modified.problem, 'modified-request')
      assert.deepEqual(await balance(t.ledger, payer.settlement), { value: '-100', reserved: '0' })
      assert.deepEqual(await balance(t.ledger, hub.reconciliationId), { value: '100', reserved: '0' })
      assert.deepEqual((await positions(t.ledger, [payer, payee], CURRENCY, [reserve(payer, '50')])).map(code), ['ok'], 'liquidity after funds in')
    }))

    test('funds out reserve moves the settlement account against HUB_FUNDS_OUT_CLEARING; commit moves the hub reconciliation; a second commit changes nothing', () => within(async (t) => {
      const CURRENCY = 'ZAR'
      const { payer } = await pair(t, CURRENCY, '1000', '0')
      const hub = await hubFunds(t, CURRENCY)
      await t.ledger.transaction((tx) => tx.recordFundsIn(fundsRequest(payer, CURRENCY, hub, '100')))
      const out = fundsRequest(payer, CURRENCY, hub, '30')
      assert.deepEqual(await t.ledger.transaction((tx) => tx.reserveFundsOut(out)), { ok: true, duplicate: false })
      assert.deepEqual(await balance(t.ledger, payer.settlement), { value: '-70', reserved: '0' })
      assert.deepEqual(await balance(t.ledger, hub.clearingId), { value: '-30', reserved: '0' })
      assert.deepEqual(await balance(t.ledger, hub.reconciliationId), { value: '100', reserved: '0' })
      const commit = { transferId: out.transferId, participantId: payer.participantId, accountId: payer.settlement, hub, action: 'commit' as const, reason: undefined, actor: 'contract' }
      assert.deepEqual(await t.ledger.transaction((tx) => tx.completeFundsOut(commit)), { ok: true, duplicate: false })
      assert.deepEqual(await t.ledger.transaction((tx) => tx.completeFundsOut({ ...commit, action: 'abort' })), { ok: true, duplicate: true })
      assert.deepEqual(await balance(t.ledger, payer.settlement), { value: '-70', reserved: '0' })
      assert.deepEqual(await balance(t.ledger, hub.clearingId), { value: '0', reserved: '0' })
      assert.deepEqual(await balance(t.ledger, hub.reconciliationId), { value: '70', reserved: '0' })
      assert.equal(await sum(t.ledger, [payer.position, payer.settlement, hub.clearingId, hub.reconciliationId]), 0n, 'I3: the currency sums to zero')
    }))

    test('funds out abort gives the settlement account its funds back; the hub reconciliation never moved', () => within(async (t) => {
      const CURRENCY = 'MWK'
      const { payer } = await pair(t, CURRENCY, '1000', '0')
      const hub = await hubFunds(t, CURRENCY)
      await t.ledger.transaction((tx) => tx.recordFundsIn(fundsRequest(payer, CURRENCY, hub, '100')))
      const out = fundsRequest(payer, CURRENCY, hub, '40')
      await t.ledger.transaction((tx) => tx.reserveFundsOut(out))
      const abort = { transferId: out.transferId, participantId: payer.participantId, accountId: payer.settlement, hub, action: 'abort' as const, reason: 'operator', actor: 'contract' }
      assert.deepEqual(await t.ledger.transaction((tx) => tx.completeFundsOut(abort)), { ok: true, duplicate: false })
      assert.deepEqual(await balance(t.ledger, payer.settlement), { value: '-100', reserved: '0' })
      assert.deepEqual(await balance(t.ledger, hub.clearingId), { value: '0', reserved: '0' })
      assert.deepEqual(await balance(t.ledger, hub.reconciliationId), { value: '100', reserved: '0' })
      const unknown = await t.ledger.transaction((tx) => tx.completeFundsOut({ ...abort, transferId: unique('absent-') }))
      assert.equal(unknown.ok ? 'ok' : unknown.problem, 'unknown-funds-transfer')
    }))

    test('a funds out beyond the available settlement balance (reserved funds outs counted) is refused 4001 and changes nothing', () => within(async (t) => {
      const CURRENCY = 'KES'
      const { payer } = await pair(t, CURRENCY, '1000', '0')
      const hub = await hubFunds(t, CURRENCY)
      await t.ledger.transaction((tx) => tx.recordFundsIn(fundsRequest(payer, CURRENCY, hub, '100')))
      const over = fundsRequest(payer, CURRENCY, hub, '100.0001')
      const refused = await t.ledger.transaction((tx) => tx.reserveFundsOut(over))
      assert.equal(refused.ok ? 'ok' : refused.problem, 'insufficient-funds')
      await t.ledger.transaction((tx) => tx.reserveFundsOut(fundsRequest(payer, CURRENCY, hub, '60')))
      const second = await t.ledger.transaction((tx) => tx.reserveFundsOut(fundsRequest(payer, CURRENCY, hub, '41')))
      assert.equal(second.ok ? 'ok' : second.problem, 'insufficient-funds')
      assert.deepEqual(await balance(t.ledger, payer.settlement), { value: '-40', reserved: '0' })
      // The refused id was not kept: it can be recorded once there is money for it.
      assert.deepEqual(await t.ledger.transaction((tx) => tx.reserveFundsOut({ ...over, amount: new Decimal('40'), requestHash: 'again' })), { ok: true, duplicate: false })
    }))

    test('a window closed, settled over its nets and SETTLED: positions reset, funds moved, every currency account sums to zero', () => within(async (t) => {
      const CURRENCY = 'ZMW'
      const model = unique('netzmw')
      await t.addSettlementModel({ name: model, currency: CURRENCY, granularity: 'NET', delay: 'DEFERRED', liquidityCheck: true })
      const { payer, payee } = await pair(t, CURRENCY, '1000', '500')
      const multilateral = await t.hubAccount(CURRENCY, 'HUB_MULTILATERAL_SETTLEMENT')
      const reconciliation = await t.hubReconciliation(CURRENCY)
      const windowId = await commitInOpenWindow(t.ledger, payer, payee, CURRENCY, '300')
      assert.equal(await t.ledger.transaction((tx) => tx.openWindowDueForClose(DECADE_ms)), undefined, 'the window is not due')
      assert.equal(await t.ledger.transaction((tx) => tx.openWindowDueForClose(0)), windowId)
      const closed = await t.ledger.transaction((tx) => tx.closeWindow(windowId, 'contract close'))
      assert.ok(closed.ok)
      assert.notEqual(await t.ledger.transaction((tx) => tx.lockOpenWindowId()), windowId, 'the next window is open')
      assert.deepEqual(await t.ledger.transaction((tx) => tx.closeWindow(windowId, 'again')), { ok: false, problem: 'not-open' })

      const created = await t.ledger.transaction((tx) => tx.createSettlement({ model, windowIds: [windowId, windowId], reason: 'contract', actor: 'contract' }))
      assert.ok(created.ok)
      const settlementId = created.value
      const again = await t.ledger.transaction((tx) => tx.createSettlement({ model, windowIds: [windowId], reason: 'contract', actor: 'contract' }))
      assert.equal(again.ok ? 'ok' : again.problem, 'window-not-closed', 'a window currency is in one settlement')
      const states: string[] = []
      for (const state of SETTLEMENT_STATES.slice(1)) {
        const moved = await t.ledger.transaction((tx) => tx.updateSettlement(settlementId, [payer, payee].map((d) => ({ participantId: d.participantId, accountId: d.position, state })), 'contract'))
        assert.ok(moved.ok, `moving to ${state}`)
        states.push(moved.value)
        if (state === 'PS_TRANSFERS_RESERVED') {
          assert.deepEqual(await balance(t.ledger, payer.position), { value: '0', reserved: '0' }, 'the payer\'s position is reset at RESERVED')
          assert.deepEqual(await balance(t.ledger, payer.settlement), { value: '-500', reserved: '300' }, 'and its funds are held')
        }
      }
      assert.deepEqual(states, ['PS_TRANSFERS_RECORDED', 'PS_TRANSFERS_RESERVED', 'PS_TRANSFERS_COMMITTED', 'SETTLED'])
      assert.deepEqual(await balance(t.ledger, payer.position), { value: '0', reserved: '0' })
      assert.deepEqual(await balance(t.ledger, payee.position), { value: '0', reserved: '0' })
      assert.deepEqual(await balance(t.ledger, payer.settlement), { value: '-200', reserved: '0' })
      assert.deepEqual(await balance(t.ledger, payee.settlement), { value: '-800', reserved: '0' })
      assert.deepEqual(await balance(t.ledger, multilateral), { value: '0', reserved: '0' })
      const all = [payer.position, payer.settlement, payee.position, payee.settlement, multilateral, reconciliation]
      assert.equal(await sum(t.ledger, all), 0n, 'I3: per currency, all balances sum to zero')
      const final = await t.ledger.transaction((tx) => tx.updateSettlement(settlementId, [{ participantId: payer.participantId, accountId: payer.position, state: 'SETTLED' }], 'contract'))
      assert.equal(final.ok ? 'ok' : final.problem, 'final')
    }))

    test('a settlement aborted after RESERVED gives the payer its position and funds back and frees the window', () => within(async (t) => {
      const CURRENCY = 'EUR'
      const model = unique('neteur')
      await t.addSettlementModel({ name: model, currency: CURRENCY, granularity: 'NET', delay: 'DEFERRED', liquidityCheck: true })
      const { payer, payee } = await pair(t, CURRENCY, '1000', '500')
      await t.hubAccount(CURRENCY, 'HUB_MULTILATERAL_SETTLEMENT')
      const windowId = await commitInOpenWindow(t.ledger, payer, payee, CURRENCY, '120')
      await t.ledger.transaction((tx) => tx.closeWindow(windowId, 'contract close'))
      const created = await t.ledger.transaction((tx) => tx.createSettlement({ model, windowIds: [windowId], reason: 'contract', actor: 'contract' }))
      assert.ok(created.ok)
      for (const state of ['PS_TRANSFERS_RECORDED', 'PS_TRANSFERS_RESERVED'] as const) {
        await t.ledger.transaction((tx) => tx.updateSettlement(created.value, [payer, payee].map((d) => ({ participantId: d.participantId, accountId: d.position, state })), 'contract'))
      }
      const aborted = await t.ledger.transaction((tx) => tx.abortSettlement(created.value, 'contract abort', 'contract'))
      assert.deepEqual(aborted, { ok: true, value: 'ABORTED' })
      assert.deepEqual(await balance(t.ledger, payer.position), { value: '120', reserved: '0' })
      assert.deepEqual(await balance(t.ledger, payer.settlement), { value: '-500', reserved: '0' })
      const resettled = await t.ledger.transaction((tx) => tx.createSettlement({ model, windowIds: [windowId], reason: 'again', actor: 'contract' }))
      assert.ok(resettled.ok, 'the aborted window can be settled again')
    }))

    test('a unit of work that throws after funds in, funds out and a window close leaves nothing', () => within(async (t) => {
      const CURRENCY = 'GBP'
      const { payer } = await pair(t, CURRENCY, '1000', '0')
      const hub = await hubFunds(t, CURRENCY)
      const openBefore = await t.ledger.transaction((tx) => tx.lockOpenWindowId())
      const fundsIn = fundsRequest(payer, CURRENCY, hub, '100')
      const fundsOut = fundsRequest(payer, CURRENCY, hub, '10')
      await assert.rejects(t.ledger.transaction(async (tx) => {
        assert.ok((await tx.recordFundsIn(fundsIn)).ok)
        assert.ok((await tx.reserveFundsOut(fundsOut)).ok)
        assert.ok((await tx.closeWindow(openBefore, 'undone')).ok)
        throw new Error('the route failed')
      }), /the route failed/)
      assert.equal(await t.ledger.transaction((tx) => tx.lockOpenWindowId()), openBefore)
      for (const id of [payer.settlement, hub.reconciliationId, hub.clearingId]) assert.deepEqual(await balance(t.ledger, id), { value: '0', reserved: '0' })
      assert.deepEqual(await t.ledger.transaction((tx) => tx.recordFundsIn(fundsIn)), { ok: true, duplicate: false }, 'the funds in was not kept')
      const completion = await t.ledger.transaction((tx) => tx.completeFundsOut({ transferId: fundsOut.transferId, participantId: payer.participantId, accountId: payer.settlement, hub, action: 'commit', reason: undefined, actor: 'contract' }))
      assert.equal(completion.ok ? 'ok' : completion.problem, 'unknown-funds-transfer', 'nor the funds out')
    }))
  })
}

/** An interval no window in a test is that old. */
const DECADE_ms = 10 * 365 * 24 * 3600 * 1000

async function hubFunds(t: LedgerUnderTest, currency: string): Promise<HubFundsAccounts> {
  await t.hubAccount(currency, 'HUB_RECONCILIATION')
  await t.hubAccount(currency, 'HUB_FUNDS_OUT_CLEARING')
  const hub = await t.ledger.transaction((tx) => tx.findHubFundsAccounts(CONTRACT_HUB_NAME, currency))
  assert.ok(hub, 'the hub has its funds accounts')
  return hub
}

function fundsRequest(dfsp: ContractDfsp, currency: string, hub: HubFundsAccounts, amount: string): FundsRequest {
  const transferId = unique('funds-')
  return { transferId, account: { id: dfsp.settlement, participantId: dfsp.participantId, currency }, hub, amount: new Decimal(amount), reason: undefined, extensionList: undefined, requestHash: `hash-${transferId}`, actor: 'contract' }
}

/** A transfer reserved and committed as the position handler does, its commit in the OPEN window; the window's id. */
async function commitInOpenWindow(ledger: Ledger, payer: ContractDfsp, payee: ContractDfsp, currency: string, amount: string): Promise<string> {
  assert.deepEqual((await positions(ledger, [payer, payee], currency, [reserve(payer, amount)])).map(code), ['ok'])
  return ledger.transaction(async (tx) => {
    const windowId = await tx.lockOpenWindowId()
    const locked = await tx.lockAccounts([payer.position, payee.position])
    const units = toUnits(amount)
    const p = locked.get(payer.position)!
    const q = locked.get(payee.position)!
    await tx.writeAccounts([{ id: p.id, value: p.value + units, reserved: p.reserved - units }, { id: q.id, value: q.value - units, reserved: q.reserved }])
    await tx.insertJournalRows([{
      kind: 'TRANSFER_COMMIT', reference: unique('commit-'), currency, createdBy: 'contract', settlementWindowId: windowId,
      lines: [{ accountId: payer.position, amount }, { accountId: payee.position, amount: `-${amount}` }],
    }])
    return windowId
  })
}
