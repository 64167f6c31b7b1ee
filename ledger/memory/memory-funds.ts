// Funds in and out on the in-memory ledger, answering as ledger/store/funds.ts does (see there for the
// entries: FUNDS_IN, FUNDS_OUT_RESERVE against HUB_FUNDS_OUT_CLEARING, FUNDS_OUT_COMMIT, FUNDS_OUT_ABORT).
// A unit of work runs alone, so there are no locks to order; a refusal writes nothing.
import type { FundsOutCompletion, FundsProblem, FundsRequest, FundsResult, FundsSettlementTx, HubFundsAccounts } from '../funds-settlement-port.ts'
import { fromUnits, toUnits, type Decimal } from '../domain/money.ts'
import { postEntries } from './memory-journal.ts'
import type { MemoryLedgerTables } from './memory-tables.ts'

type FundsTx = Pick<FundsSettlementTx, 'findHubFundsAccounts' | 'recordFundsIn' | 'reserveFundsOut' | 'completeFundsOut'>

export function memoryFundsTx(t: MemoryLedgerTables): FundsTx {
  const post = (kind: string, reference: string, currency: string, actor: string, lines: [accountId: number, amount: Decimal][]) =>
    postEntries(t, [{ kind, reference, currency, createdBy: actor, lines: lines.map(([accountId, amount]) => ({ accountId, amount })) }])

  function recordFunds(req: FundsRequest, direction: 'IN' | 'OUT'): FundsResult {
    const settlement = t.account(req.account.id)
    const existing = t.fundsMovements.get(req.transferId)
    if (existing) {
      if (existing.requestHash !== req.requestHash || existing.accountId !== settlement.id) {
        return fail('modified-request', `funds transfer ${req.transferId} was already recorded with different content`)
      }
      return { ok: true, duplicate: true }
    }
    if (req.hub === undefined) return fail('hub-account-missing', `the hub has no HUB_RECONCILIATION account in ${settlement.currency}`)
    if (direction === 'IN') {
      post('FUNDS_IN', req.transferId, settlement.currency, req.actor, [[settlement.id, req.amount.negated()], [req.hub.reconciliationId, req.amount]])
    } else {
      const available = -(settlement.value + settlement.reserved)
      if (available < toUnits(req.amount)) {
        return fail('insufficient-funds', `funds out of ${req.amount.toFixed()} exceeds the available settlement balance ${fromUnits(available).toFixed()}`)
      }
      post('FUNDS_OUT_RESERVE', req.transferId, settlement.currency, req.actor, [[settlement.id, req.amount], [req.hub.clearingId, req.amount.negated()]])
    }
    t.fundsMovements.set(req.transferId, {
      id: req.transferId, participantId: settlement.participant_id, accountId: settlement.id, direction, units: toUnits(req.amount),
      currency: settlement.currency, state: direction === 'IN' ? 'COMMITTED' : 'RESERVED', reason: req.reason ?? null, requestHash: req.requestHash,
      extensionList: req.extensionList === undefined ? null : JSON.stringify(req.extensionList), createdBy: req.actor,
      createdAt: t.db.clock(), completedAt: direction === 'IN' ? t.db.clock() : null,
    })
    return { ok: true, duplicate: false }
  }

  return {
    async findHubFundsAccounts(hubName, currency): Promise<HubFundsAccounts | undefined> {
      const hub = t.participants.first((p) => p.name === hubName)
      if (!hub) return undefined
      const reconciliation = t.findAccount(hub.id, currency, 'HUB_RECONCILIATION')
      const clearing = t.findAccount(hub.id, currency, 'HUB_FUNDS_OUT_CLEARING')
      return reconciliation && clearing ? { reconciliationId: reconciliation.id, clearingId: clearing.id } : undefined
    },
    recordFundsIn: async (req) => recordFunds(req, 'IN'),
    reserveFundsOut: async (req) => recordFunds(req, 'OUT'),
    async completeFundsOut(req: FundsOutCompletion) {
      const movement = t.fundsMovements.get(req.transferId)
      if (!movement || movement.direction !== 'OUT') return fail('unknown-funds-transfer', `no funds out ${req.transferId}`)
      if (movement.participantId !== req.participantId || movement.accountId !== req.accountId) {
        return fail('account-mismatch', `funds out ${req.transferId} belongs to another participant or account`)
      }
      if (movement.state !== 'RESERVED') return { ok: true, duplicate: true }
      if (req.hub === undefined) return fail('hub-account-missing', `the hub has no HUB_RECONCILIATION account in ${movement.currency}`)
      const amount = fromUnits(movement.units)
      if (req.action === 'commit') {
        post('FUNDS_OUT_COMMIT', req.transferId, movement.currency, req.actor, [[req.hub.clearingId, amount], [req.hub.reconciliationId, amount.negated()]])
      } else {
        post('FUNDS_OUT_ABORT', req.transferId, movement.currency, req.actor, [[req.hub.clearingId, amount], [movement.accountId, amount.negated()]])
      }
      const state = req.action === 'commit' ? 'COMMITTED' : 'ABORTED'
      t.fundsMovements.set(req.transferId, { ...movement, state, completedAt: t.db.clock(), reason: req.reason ?? movement.reason })
      return { ok: true, duplicate: false }
    },
  }
}

function fail(problem: FundsProblem, message: string): FundsResult {
  return { ok: false, problem, message }
}
