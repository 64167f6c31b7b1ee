// Funds in and out of a DFSP's settlement account (recorded by the hub operator), as balanced journal
// entries, the way Mojaloop central-ledger moves them (src/models/transfer/facade.js, reconciliationTransfer*):
//   funds in            settlement -X, hub reconciliation +X, in one step (FUNDS_IN).
//   funds out reserve   the settlement account's value moves at once (+X, towards zero); the hub
//                       reconciliation account does not move yet (FUNDS_OUT_RESERVE).
//   funds out commit    the settlement account stays; the hub reconciliation account moves -X (FUNDS_OUT_COMMIT).
//   funds out abort     the settlement account moves back -X; the hub reconciliation stays (FUNDS_OUT_ABORT).
// central-ledger leaves the currency out of balance between reserve and its end; here the other side of
// the reserve sits on the hub's HUB_FUNDS_OUT_CLEARING account until commit or abort, so every entry is
// balanced and all accounts of a currency sum to zero at every step. reserved_value is not used: as in
// central-ledger, a reserved funds out is already out of the settlement balance, which never goes below zero.
import type { Knex } from 'knex'
import { Decimal, ledgerDecimal, toDbDecimal } from '../domain/money.ts'
import { postJournalEntry } from './journal.ts'
import { findAccount, findAccountById } from './participants.ts'
import type { FundsAccount, FundsOutCompletion, FundsProblem, FundsRequest, FundsResult, HubFundsAccounts } from '../funds-settlement-port.ts'

export type { FundsProblem, FundsResult, HubFundsAccounts, FundsRequest, FundsOutCompletion } from '../funds-settlement-port.ts'

export async function findHubFundsAccounts(q: Knex | Knex.Transaction, hubName: string, currency: string): Promise<HubFundsAccounts | undefined> {
  const hub = await q('participant').where({ name: hubName }).first()
  if (!hub) return undefined
  const reconciliation = await findAccount(q, { participantId: hub.id, currency, type: 'HUB_RECONCILIATION' })
  const clearing = await findAccount(q, { participantId: hub.id, currency, type: 'HUB_FUNDS_OUT_CLEARING' })
  return reconciliation && clearing ? { reconciliationId: reconciliation.id, clearingId: clearing.id } : undefined
}

export async function recordFundsIn(trx: Knex.Transaction, req: FundsRequest): Promise<FundsResult> {
  return recordFunds(trx, req, 'IN')
}

export async function reserveFundsOut(trx: Knex.Transaction, req: FundsRequest): Promise<FundsResult> {
  return recordFunds(trx, req, 'OUT')
}

// Lock order everywhere: the settlement account, then the funds_movement row, then the hub's accounts
// (postJournalEntry locks them in id order). The movement row is claimed by inserting it (a duplicate id
// fails on the primary key) rather than by a locking read of a missing id, whose gap lock would deadlock
// two concurrent funds requests. A refusal changes nothing.
async function recordFunds(trx: Knex.Transaction, req: FundsRequest, direction: 'IN' | 'OUT'): Promise<FundsResult> {
  const settlement = (await findAccountById(trx, req.account.id, { forUpdate: true }))!
  const claimed = await claimMovement(trx, req, settlement, direction)
  if (claimed !== 'claimed') return claimed
  const refuse = async (problem: FundsProblem, message: string) => {
    await trx('funds_movement').where({ id: req.transferId }).delete()
    return fail(problem, message)
  }
  if (req.hub === undefined) return refuse('hub-account-missing', `the hub has no HUB_RECONCILIATION account in ${settlement.currency}`)
  if (direction === 'IN') {
    await post(trx, 'FUNDS_IN', req.transferId, settlement.currency, req.actor, [[settlement.id, req.amount.negated()], [req.hub.reconciliationId, req.amount]])
    return { ok: true, duplicate: false }
  }
  const available = ledgerDecimal(settlement.value).plus(ledgerDecimal(settlement.reservedValue)).negated()
  if (available.lessThan(req.amount)) {
    return refuse('insufficient-funds', `funds out of ${req.amount.toFixed()} exceeds the available settlement balance ${available.toFixed()}`)
  }
  await post(trx, 'FUNDS_OUT_RESERVE', req.transferId, settlement.currency, req.actor, [[settlement.id, req.amount], [req.hub.clearingId, req.amount.negated()]])
  return { ok: true, duplicate: false }
}

/** Inserts the movement row; if its id exists, tells a repeat of the same request from a different one. */
async function claimMovement(trx: Knex.Transaction, req: FundsRequest, settlement: FundsAccount, direction: 'IN' | 'OUT'): Promise<'claimed' | FundsResult> {
  try {
    await trx('funds_movement').insert({
      id: req.transferId,
      participant_id: settlement.participantId,
      account_id: settlement.id,
      direction,
      amount: toDbDecimal(req.amount),
      currency: settlement.currency,
      state: direction === 'IN' ? 'COMMITTED' : 'RESERVED',
      reason: req.reason ?? null,
      request_hash: req.requestHash,
      extension_list: req.extensionList === undefined ? null : JSON.stringify(req.extensionList),
      created_by: req.actor,
      completed_at: direction === 'IN' ? trx.fn.now(3) : null,
    })
    return 'claimed'
  } catch (error) {
    if ((error as { code?: string }).code !== 'ER_DUP_ENTRY') throw error
  }
  const existing = await trx('funds_movement').where({ id: req.transferId }).forShare().first()
  if (existing.request_hash !== req.requestHash || existing.account_id !== settlement.id) {
    return fail('modified-request', `funds transfer ${req.transferId} was already recorded with different content`)
  }
  return { ok: true, duplicate: true }
}

/**
 * Commits or aborts a RESERVED funds out. As in central-ledger (admin handler, changeStatusOfRecordFundsOut),
 * a funds out that is no longer RESERVED (a second commit or abort, or the other action after one) is
 * answered like the first and changes nothing.
 */
export async function completeFundsOut(trx: Knex.Transaction, req: FundsOutCompletion): Promise<FundsResult> {
  await findAccountById(trx, req.accountId, { forUpdate: true }) // same lock order as recordFunds
  const movement = await trx('funds_movement').where({ id: req.transferId, direction: 'OUT' }).forUpdate().first()
  if (!movement) return fail('unknown-funds-transfer', `no funds out ${req.transferId}`)
  if (movement.participant_id !== req.participantId || movement.account_id !== req.accountId) {
    return fail('account-mismatch', `funds out ${req.transferId} belongs to another participant or account`)
  }
  if (movement.state !== 'RESERVED') return { ok: true, duplicate: true }
  if (req.hub === undefined) return fail('hub-account-missing', `the hub has no HUB_RECONCILIATION account in ${movement.currency}`)
  const amount = ledgerDecimal(movement.amount)
  if (req.action === 'commit') {
    await post(trx, 'FUNDS_OUT_COMMIT', req.transferId, movement.currency, req.actor, [[req.hub.clearingId, amount], [req.hub.reconciliationId, amount.negated()]])
  } else {
    await post(trx, 'FUNDS_OUT_ABORT', req.transferId, movement.currency, req.actor, [[req.hub.clearingId, amount], [movement.account_id, amount.negated()]])
  }
  const state = req.action === 'commit' ? 'COMMITTED' : 'ABORTED'
  await trx('funds_movement').where({ id: req.transferId }).update({ state, completed_at: trx.fn.now(3), reason: req.reason ?? movement.reason })
  return { ok: true, duplicate: false }
}

async function post(trx: Knex.Transaction, kind: string, reference: string, currency: string, actor: string, lines: [accountId: number, amount: Decimal][]): Promise<void> {
  await postJournalEntry(trx, { kind, reference, currency, createdBy: actor, lines: lines.map(([accountId, amount]) => ({ accountId, amount })) })
}

function fail(problem: FundsProblem, message: string): FundsResult {
  return { ok: false, problem, message }
}
