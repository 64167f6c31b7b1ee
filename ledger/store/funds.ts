// Funds in and out of a DFSP's settlement account (recorded by the hub operator), as balanced journal
// entries against the hub's reconciliation account. Funds out is two-phase: reserve, then commit or abort,
// and can never take the settlement balance below zero.
import type { Knex } from 'knex'
import { Decimal, ledgerDecimal, toDbDecimal } from '../domain/money.ts'
import { postJournalEntry } from './journal.ts'
import { findAccountById, type AccountRow } from './participants.ts'

export type FundsProblem =
  | 'hub-account-missing'
  | 'insufficient-funds'
  | 'modified-request'
  | 'unknown-funds-transfer'
  | 'already-final'
  | 'account-mismatch'

export type FundsResult = { ok: true; duplicate: boolean } | { ok: false; problem: FundsProblem; message: string }

export interface FundsRequest {
  transferId: string
  account: AccountRow // the DFSP's SETTLEMENT account
  hubReconciliationAccountId: number | undefined
  amount: Decimal
  reason: string | undefined
  extensionList: unknown
  requestHash: string
  actor: string
}

export async function recordFundsIn(trx: Knex.Transaction, req: FundsRequest): Promise<FundsResult> {
  return recordFunds(trx, req, 'IN')
}

export async function reserveFundsOut(trx: Knex.Transaction, req: FundsRequest): Promise<FundsResult> {
  return recordFunds(trx, req, 'OUT')
}

// Lock order everywhere: the settlement account, then the funds_movement row. The movement row is
// claimed by inserting it (a duplicate id fails on the primary key) rather than by a locking read of a
// missing id, whose gap lock would deadlock two concurrent funds requests. A refusal changes nothing.
async function recordFunds(trx: Knex.Transaction, req: FundsRequest, direction: 'IN' | 'OUT'): Promise<FundsResult> {
  const settlement = (await findAccountById(trx, req.account.id, { forUpdate: true }))!
  const claimed = await claimMovement(trx, req, settlement, direction)
  if (claimed !== 'claimed') return claimed
  if (req.hubReconciliationAccountId === undefined) {
    await trx('funds_movement').where({ id: req.transferId }).delete()
    return fail('hub-account-missing', `the hub has no HUB_RECONCILIATION account in ${settlement.currency}`)
  }
  if (direction === 'OUT') {
    const available = ledgerDecimal(settlement.value).negated().minus(ledgerDecimal(settlement.reservedValue))
    if (available.lessThan(req.amount)) {
      await trx('funds_movement').where({ id: req.transferId }).delete()
      return fail('insufficient-funds', `funds out of ${req.amount.toFixed()} exceeds the available settlement balance ${available.toFixed()}`)
    }
    await trx('account').where({ id: settlement.id }).update({
      reserved_value: trx.raw('reserved_value + ?', [toDbDecimal(req.amount)]),
      changed_at: trx.fn.now(3),
    })
    return { ok: true, duplicate: false }
  }
  await postJournalEntry(trx, {
    kind: 'FUNDS_IN',
    reference: req.transferId,
    currency: settlement.currency,
    createdBy: req.actor,
    lines: [
      { accountId: settlement.id, amount: req.amount.negated() },
      { accountId: req.hubReconciliationAccountId, amount: req.amount },
    ],
  })
  return { ok: true, duplicate: false }
}

/** Inserts the movement row; if its id exists, tells a repeat of the same request from a different one. */
async function claimMovement(trx: Knex.Transaction, req: FundsRequest, settlement: AccountRow, direction: 'IN' | 'OUT'): Promise<'claimed' | FundsResult> {
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

export interface FundsOutCompletion {
  transferId: string
  participantId: number
  accountId: number
  hubReconciliationAccountId: number | undefined
  action: 'commit' | 'abort'
  reason: string | undefined
  actor: string
}

export async function completeFundsOut(trx: Knex.Transaction, req: FundsOutCompletion): Promise<FundsResult> {
  await findAccountById(trx, req.accountId, { forUpdate: true }) // same lock order as recordFunds
  const movement = await trx('funds_movement').where({ id: req.transferId, direction: 'OUT' }).forUpdate().first()
  if (!movement) return fail('unknown-funds-transfer', `no funds out ${req.transferId}`)
  if (movement.participant_id !== req.participantId || movement.account_id !== req.accountId) {
    return fail('account-mismatch', `funds out ${req.transferId} belongs to another participant or account`)
  }
  const finalState = req.action === 'commit' ? 'COMMITTED' : 'ABORTED'
  if (movement.state === finalState) return { ok: true, duplicate: true }
  if (movement.state !== 'RESERVED') return fail('already-final', `funds out ${req.transferId} is already ${movement.state}`)
  if (req.action === 'commit' && req.hubReconciliationAccountId === undefined) {
    return fail('hub-account-missing', `the hub has no HUB_RECONCILIATION account in ${movement.currency}`)
  }
  const amount = ledgerDecimal(movement.amount)
  await trx('account').where({ id: movement.account_id }).update({
    reserved_value: trx.raw('reserved_value - ?', [toDbDecimal(amount)]),
    changed_at: trx.fn.now(3),
  })
  if (req.action === 'commit') {
    await postJournalEntry(trx, {
      kind: 'FUNDS_OUT',
      reference: req.transferId,
      currency: movement.currency,
      createdBy: req.actor,
      lines: [
        { accountId: movement.account_id, amount },
        { accountId: req.hubReconciliationAccountId!, amount: amount.negated() },
      ],
    })
  }
  await trx('funds_movement').where({ id: req.transferId }).update({ state: finalState, completed_at: trx.fn.now(3), reason: req.reason ?? movement.reason })
  return { ok: true, duplicate: false }
}

function fail(problem: FundsProblem, message: string): FundsResult {
  return { ok: false, problem, message }
}
