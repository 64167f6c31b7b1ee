// Transfers on the ledger, read and written a batch at a time (one query per table per batch).
import type { Knex } from 'knex'
import type { AccountTable, SettlementModelTable } from './ledger-tables.ts'
import type { ExpiredTransfer, LockedAccount, TransferRow, TransferStateChange } from '../ledger-port.ts'
import { toUnits, toDbDecimal, fromUnits } from '../domain/money.ts'

/** The account id of a refused transfer's party that has no such account (no account has id 0). */
export const NO_ACCOUNT = 0

export type { LockedAccount, TransferRow } from '../ledger-port.ts'


export async function lockTransfers(trx: Knex.Transaction, ids: readonly string[]): Promise<Map<string, TransferRow>> {
  if (ids.length === 0) return new Map()
  const rows: TransferRow[] = await trx('transfer').whereIn('id', [...new Set(ids)]).forUpdate()
  return new Map(rows.map((r) => [r.id, r]))
}

export async function findTransfer(q: Knex | Knex.Transaction, id: string): Promise<TransferRow | undefined> {
  return q('transfer').where({ id }).first()
}

/** Inserts new transfers and updates changed ones in one statement. */
export async function saveTransfers(trx: Knex.Transaction, rows: readonly TransferRow[]): Promise<void> {
  if (rows.length === 0) return
  const columns = ['state', 'fulfil_hash', 'fulfilment', 'error_code', 'error_description', 'settlement_window_id', 'completed_at', 'payee_wants_patch'] as const
  await trx('transfer').insert(rows.map(({ ...r }) => ({ ...r, payee_wants_patch: Boolean(r.payee_wants_patch) }))).onConflict('id').merge([...columns])
}

export async function addStateChanges(trx: Knex.Transaction, changes: readonly TransferStateChange[]): Promise<void> {
  if (changes.length > 0) await trx('transfer_state_change').insert(changes as object[])
}


/** Locks the accounts in id order (no deadlocks between batches) and reads them as units. */
export async function lockAccounts(trx: Knex.Transaction, ids: Iterable<number>): Promise<Map<number, LockedAccount>> {
  const sorted = [...new Set(ids)].sort((a, b) => a - b)
  if (sorted.length === 0) return new Map()
  const rows: Pick<AccountTable, 'id' | 'participant_id' | 'currency' | 'type' | 'value' | 'reserved_value'>[] = await trx('account').whereIn('id', sorted).orderBy('id').forUpdate().select('id', 'participant_id', 'currency', 'type', 'value', 'reserved_value')
  return new Map(rows.map((r) => [r.id, { id: r.id, participant_id: r.participant_id, currency: r.currency, type: r.type, value: toUnits(r.value), reserved: toUnits(r.reserved_value) }]))
}

/** Writes the accounts' new values and reservations in one statement (the rows are locked already). */
export async function writeAccounts(trx: Knex.Transaction, accounts: Iterable<{ id: number; value: bigint; reserved: bigint }>): Promise<void> {
  const sorted = [...accounts].sort((x, y) => x.id - y.id)
  if (sorted.length === 0) return
  const cases = (pick: (a: (typeof sorted)[number]) => bigint) => ({
    sql: `CASE id ${sorted.map(() => 'WHEN ? THEN ?').join(' ')} END`,
    bindings: sorted.flatMap((a) => [a.id, toDbDecimal(fromUnits(pick(a)))]),
  })
  const value = cases((a) => a.value)
  const reserved = cases((a) => a.reserved)
  await trx('account').whereIn('id', sorted.map((a) => a.id))
    .update({ value: trx.raw(value.sql, value.bindings), reserved_value: trx.raw(reserved.sql, reserved.bindings), changed_at: trx.fn.now(3) })
}

/** Net debit caps of position accounts, in units. */
export async function netDebitCaps(trx: Knex.Transaction, accountIds: readonly number[]): Promise<Map<number, bigint>> {
  if (accountIds.length === 0) return new Map()
  const rows: { account_id: number; value: string }[] = await trx('participant_limit').whereIn('account_id', [...new Set(accountIds)]).andWhere({ type: 'NET_DEBIT_CAP' }).select('account_id', 'value')
  return new Map(rows.map((r) => [r.account_id, toUnits(r.value)]))
}

/** Currencies whose settlement model is immediate gross: each commit also moves the settlement funds. */
export async function grossCurrencies(trx: Knex.Transaction, currencies: readonly string[]): Promise<Set<string>> {
  if (currencies.length === 0) return new Set()
  const rows = await trx('settlement_model').where({ is_active: true, settlement_granularity: 'GROSS', settlement_delay: 'IMMEDIATE', ledger_account_type: 'POSITION' }).whereIn('currency', [...new Set(currencies)]).pluck('currency')
  return new Set(rows)
}

/** SETTLEMENT account ids of participants (by name) in a currency. */
export async function settlementAccountIds(trx: Knex.Transaction, pairs: readonly { name: string; currency: string }[]): Promise<Map<string, number>> {
  if (pairs.length === 0) return new Map()
  const rows: { id: number; name: string; currency: string }[] = await trx('account as a').join('participant as p', 'p.id', 'a.participant_id').where('a.type', 'SETTLEMENT')
    .whereIn('p.name', [...new Set(pairs.map((p) => p.name))]).whereIn('a.currency', [...new Set(pairs.map((p) => p.currency))]).select('a.id', 'p.name', 'a.currency')
  return new Map(rows.map((r) => [`${r.name}:${r.currency}`, r.id]))
}

/** Whether prepares in the currency need liquidity cover (the settlement model says; default yes). */
export async function liquidityChecked(trx: Knex.Transaction, currencies: readonly string[]): Promise<Map<string, boolean>> {
  const models: Pick<SettlementModelTable, 'currency' | 'require_liquidity_check'>[] = await trx('settlement_model').where({ is_active: true, ledger_account_type: 'POSITION' }).select('currency', 'require_liquidity_check')
  const general = models.find((m) => m.currency === null)
  return new Map(currencies.map((c) => {
    const model = models.find((m) => m.currency === c) ?? general
    return [c, model ? Boolean(model.require_liquidity_check) : true]
  }))
}

/** RESERVED transfers past their expiration, oldest first, locked; rows another transaction holds are skipped. */
export async function claimExpiredTransfers(trx: Knex.Transaction, limit: number): Promise<ExpiredTransfer[]> {
  const rows = await trx('transfer').where({ state: 'RESERVED' }).andWhere('expiration', '<', trx.raw('NOW(3)'))
    .orderBy('expiration').limit(limit).forUpdate().skipLocked().select('id', 'payer_account_id')
  return rows.map((r: { id: string; payer_account_id: number }) => ({ id: r.id, payer_account_id: r.payer_account_id }))
}
