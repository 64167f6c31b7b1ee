// Settlements on the ledger: created over closed windows with each DFSP's net per currency, then moved
// through the settlement states account by account, each money step a balanced journal entry.
import type { Knex } from 'knex'
import { canAdvance, settlementStateOf, stepEntries, type SettlementState } from '../domain/settlement.ts'
import { fromUnits, toDbDecimal, toUnits } from '../domain/money.ts'
import { postJournalEntries, type JournalEntryInput } from './journal.ts'
import { windowNets } from './settlement-windows-admin.ts'
import type { AccountTable, SettlementAccountTable, SettlementModelTable, SettlementTable, SettlementWindowContentTable, SettlementWindowLinkTable, SettlementWindowTable } from './ledger-tables.ts'

import type { AccountUpdate, SettlementProblem, SettlementResult as Result } from '../funds-settlement-port.ts'
export type { AccountUpdate, SettlementProblem, Result }
const fail = <T>(problem: SettlementProblem, message: string): Result<T> => ({ ok: false, problem, message })

/** Window states a settlement can take (a PENDING_SETTLEMENT window may still hold unclaimed currencies). */
const SETTLEABLE_WINDOW_STATES = ['CLOSED', 'ABORTED', 'PENDING_SETTLEMENT']

/**
 * A settlement claims, in the windows named, the currencies its model covers (all, for a model without a
 * currency): each window's currency is in one live or settled settlement at most, so one window holding
 * several currencies is settled once per currency, each under its own model.
 */
export async function createSettlement(trx: Knex.Transaction, req: { model: string; windowIds: string[]; reason: string; actor: string }): Promise<Result<string>> {
  req = { ...req, windowIds: [...new Set(req.windowIds.map(String))] } // a window named twice is settled once
  const model = await trx<SettlementModelTable>('settlement_model').where({ name: req.model }).first()
  if (!model) return fail('unknown-model', `settlement model ${req.model} does not exist`)
  const windows = await trx<SettlementWindowTable>('settlement_window').whereIn('id', req.windowIds).forUpdate()
  for (const id of req.windowIds) {
    const w = windows.find((x) => String(x.id) === String(id))
    if (!w) return fail('unknown-window', `settlement window ${id} does not exist`)
    if (!SETTLEABLE_WINDOW_STATES.includes(w.state)) return fail('window-not-closed', `settlement window ${id} is ${w.state}; only CLOSED windows are settled`)
  }
  const nets = (await windowNets(trx, req.windowIds)).filter((n) => !model.currency || n.currency === model.currency)
  if (nets.length === 0) return fail('nothing-to-settle', `the windows hold no committed transfers${model.currency ? ` in ${model.currency}` : ''}: nothing to settle`)
  const content = (await windowCurrencies(trx, req.windowIds)).filter((c) => nets.some((n) => n.currency === c.currency))
  const claimed = await trx<SettlementWindowContentTable>('settlement_window_content').whereIn('settlement_window_id', req.windowIds).whereIn('currency', [...new Set(content.map((c) => c.currency))]).forUpdate()
  if (claimed.length > 0) {
    const c = claimed[0]
    return fail('window-not-closed', `settlement window ${c.settlement_window_id} is already settled in ${c.currency} by settlement ${c.settlement_id}`)
  }
  const [id] = await trx('settlement').insert({ settlement_model_id: model.id, state: 'PENDING_SETTLEMENT', reason: req.reason, created_by: req.actor })
  await trx('settlement_window_content').insert(content.map((c) => ({ settlement_window_id: c.windowId, currency: c.currency, settlement_id: id })))
  await trx('settlement_window_link').insert(req.windowIds.map((w) => ({ settlement_id: id, settlement_window_id: w })))
  const pending = windows.filter((w) => w.state !== 'PENDING_SETTLEMENT').map((w) => String(w.id))
  await moveWindows(trx, pending, 'PENDING_SETTLEMENT', `settlement ${id}`)
  await trx('settlement_account').insert(nets.map((n) => ({ settlement_id: id, account_id: n.accountId, participant_id: n.participantId, currency: n.currency, net_amount: n.net, state: 'PENDING_SETTLEMENT' })))
  await trx('settlement_state_change').insert({ settlement_id: id, state: 'PENDING_SETTLEMENT', reason: req.reason, changed_by: req.actor })
  return { ok: true, value: String(id) }
}

/** The currencies each window holds money movements in that settle (commits, or gross settlements). */
async function windowCurrencies(q: Knex.Transaction, windowIds: readonly string[]): Promise<{ windowId: string; currency: string }[]> {
  const rows = await q<{ settlement_window_id: string; currency: string }>('journal_entry').whereIn('settlement_window_id', windowIds).whereIn('kind', ['TRANSFER_COMMIT', 'GROSS_SETTLEMENT'])
    .distinct('settlement_window_id', 'currency')
  return rows.map((r) => ({ windowId: String(r.settlement_window_id), currency: r.currency }))
}

async function moveWindows(trx: Knex.Transaction, windowIds: readonly string[], state: string, reason: string): Promise<void> {
  if (windowIds.length === 0) return
  await trx('settlement_window').whereIn('id', windowIds).update({ state, changed_at: trx.fn.now(3), ...(state === 'ABORTED' ? { reason } : {}) })
  await trx('settlement_window_state_change').insert(windowIds.map((w) => ({ settlement_window_id: w, state, reason })))
}

/** Moves the named accounts (or all, for an abort) and recomputes the settlement's state. */
export async function updateSettlement(trx: Knex.Transaction, id: string, updates: AccountUpdate[], actor: string): Promise<Result<SettlementState>> {
  const settlement = await trx<SettlementTable>('settlement').where({ id }).forUpdate().first()
  if (!settlement) return fail('unknown-settlement', `settlement ${id} does not exist`)
  if (settlement.state === 'SETTLED' || settlement.state === 'ABORTED') return fail('final', `settlement ${id} is already ${settlement.state}`)
  const accounts = await trx<SettlementAccountTable>('settlement_account').where({ settlement_id: id }).forUpdate()
  const entries: JournalEntryInput[] = []
  for (const u of updates) {
    const account = accounts.find((a) => a.account_id === u.accountId && a.participant_id === u.participantId)
    if (!account) return fail('unknown-account', `participant ${u.participantId} has no account ${u.accountId} in settlement ${id}`)
    if (!canAdvance(account.state, u.state)) return fail('bad-transition', `account ${u.accountId} cannot move from ${account.state} to ${u.state}`)
    const step = await stepJournal(trx, id, account, u.state, actor)
    if (!step.ok) return step
    entries.push(...step.value)
    account.state = u.state
    await trx('settlement_account').where({ settlement_id: id, account_id: u.accountId })
      .update({ state: u.state, reason: u.reason ?? account.reason, external_reference: u.externalReference ?? account.external_reference, changed_at: trx.fn.now(3) })
    await trx('settlement_state_change').insert({ settlement_id: id, account_id: u.accountId, state: u.state, reason: u.reason ?? null, changed_by: actor })
  }
  await postJournalEntries(trx, entries)
  const state = settlementStateOf(accounts.map((a) => a.state))
  if (state !== settlement.state) await moveSettlement(trx, id, state, actor)
  return { ok: true, value: state }
}

export async function abortSettlement(trx: Knex.Transaction, id: string, reason: string, actor: string): Promise<Result<SettlementState>> {
  const accounts = await trx<SettlementAccountTable>('settlement_account').where({ settlement_id: id })
  if (accounts.some((a) => !canAdvance(a.state, 'ABORTED'))) return fail('bad-transition', `settlement ${id} has committed accounts and can no longer be aborted`)
  // Undo the position resets of reserved payers, then mark everything aborted and free the windows.
  const result = await updateSettlement(trx, id, accounts.map((a) => ({ participantId: a.participant_id, accountId: a.account_id, state: 'ABORTED' as const, reason })), actor)
  if (!result.ok) return result
  // The windows give back what this settlement claimed; one whose other currencies are claimed elsewhere
  // stays PENDING_SETTLEMENT, the others can be settled again.
  const windowIds = (await trx<SettlementWindowLinkTable>('settlement_window_link').where({ settlement_id: id })).map((l) => String(l.settlement_window_id))
  await trx('settlement_window_content').where({ settlement_id: id }).delete()
  await trx('settlement_window_link').where({ settlement_id: id }).delete()
  const stillClaimed = new Set((await trx<SettlementWindowContentTable>('settlement_window_content').whereIn('settlement_window_id', windowIds).distinct('settlement_window_id')).map((r) => String(r.settlement_window_id)))
  await moveWindows(trx, windowIds.filter((w) => !stillClaimed.has(w)), 'ABORTED', reason)
  return result
}

async function stepJournal(trx: Knex.Transaction, settlementId: string, account: SettlementAccountTable, to: SettlementState, actor: string): Promise<Result<JournalEntryInput[]>> {
  const net = toUnits(account.net_amount)
  if (net === 0n) return { ok: true, value: [] }
  const accounts = await trx<AccountTable>('account').where({ participant_id: account.participant_id, currency: account.currency, type: 'SETTLEMENT' }).first()
  const hub = await trx<{ id: number }>('account as a').join('participant as p', 'p.id', 'a.participant_id').where({ 'p.is_hub': true, 'a.currency': account.currency, 'a.type': 'HUB_MULTILATERAL_SETTLEMENT' }).select('a.id').first()
  if (!accounts || !hub) return fail('hub-account-missing', `no SETTLEMENT or hub HUB_MULTILATERAL_SETTLEMENT account in ${account.currency}`)
  // A payer's funds are held (reserved_value) from RESERVED until they leave at COMMITTED or the abort:
  // funds out and new prepares cannot spend what the settlement has claimed.
  if (net > 0n && to === 'PS_TRANSFERS_RESERVED') {
    const settlement = (await trx<AccountTable>('account').where({ id: accounts.id }).forUpdate().first())! // the row read above
    const available = -toUnits(settlement.value) - toUnits(settlement.reserved_value)
    if (available < net) return fail('insufficient-funds', `participant ${account.participant_id} has ${fromUnits(available).toFixed()} ${account.currency} to settle ${fromUnits(net).toFixed()}`)
    await holdFunds(trx, accounts.id, net)
  }
  if (net > 0n && account.state === 'PS_TRANSFERS_RESERVED' && (to === 'PS_TRANSFERS_COMMITTED' || to === 'ABORTED')) await holdFunds(trx, accounts.id, -net)
  // An abort after RESERVED gives the payer its position back.
  const steps = to === 'ABORTED'
    ? account.state === 'PS_TRANSFERS_RESERVED'
      ? stepEntries('PS_TRANSFERS_RESERVED', net, { position: account.account_id, settlement: accounts.id, hubMultilateral: hub.id })
          .map((s) => ({ kind: 'SETTLEMENT_ABORT', lines: s.lines.map((l) => ({ ...l, amount: -l.amount })) }))
      : []
    : stepEntries(to, net, { position: account.account_id, settlement: accounts.id, hubMultilateral: hub.id })
  return {
    ok: true,
    value: steps.map((s) => ({
      kind: s.kind, reference: `${settlementId}:${account.account_id}`, currency: account.currency, createdBy: actor,
      lines: s.lines.map((l) => ({ accountId: l.accountId, amount: fromUnits(l.amount) })),
    })),
  }
}

async function holdFunds(trx: Knex.Transaction, settlementAccountId: number, amount: bigint): Promise<void> {
  await trx('account').where({ id: settlementAccountId }).update({ reserved_value: trx.raw('reserved_value + ?', [toDbDecimal(fromUnits(amount))]), changed_at: trx.fn.now(3) })
}

async function moveSettlement(trx: Knex.Transaction, id: string, state: SettlementState, actor: string): Promise<void> {
  await trx('settlement').where({ id }).update({ state, changed_at: trx.fn.now(3) })
  await trx('settlement_state_change').insert({ settlement_id: id, state, reason: null, changed_by: actor })
  if (state === 'SETTLED') {
    // A window is SETTLED once every currency it holds is in a SETTLED settlement.
    const windowIds = (await trx<SettlementWindowLinkTable>('settlement_window_link').where({ settlement_id: id })).map((l) => String(l.settlement_window_id))
    const held = (await Promise.all(windowIds.map(async (w) => (await windowNets(trx, [w])).map((n) => ({ windowId: w, currency: n.currency }))))).flat()
    const settled = await trx<SettlementWindowContentTable>('settlement_window_content as c').join('settlement as s', 's.id', 'c.settlement_id').whereIn('c.settlement_window_id', windowIds).where('s.state', 'SETTLED')
      .select('c.settlement_window_id', 'c.currency')
    const done = new Set(settled.map((r) => `${r.settlement_window_id}:${r.currency}`))
    const open = new Set(held.filter((h) => !done.has(`${h.windowId}:${h.currency}`)).map((h) => h.windowId))
    await moveWindows(trx, windowIds.filter((w) => !open.has(w)), 'SETTLED', `settlement ${id}`)
  }
}
