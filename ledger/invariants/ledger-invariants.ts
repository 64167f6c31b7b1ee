// Ledger invariants, checked by SQL over the ledger (docs/adr/0001-ledger-conventions.md). Each check
// returns the violations it finds; an empty list means the ledger is sound.
import assert from 'node:assert/strict'
import type { Db } from '../store/db.ts'

export type InvariantCheck = (db: Db) => Promise<string[]>

/** Every journal entry's lines sum to zero. */
export const journalBalanced: InvariantCheck = async (db) => {
  const rows = await db('journal_line as l').join('journal_entry as e', 'e.id', 'l.entry_id')
    .select('e.id', 'e.kind', 'e.reference').sum({ total: 'l.amount' }).groupBy('e.id', 'e.kind', 'e.reference').havingRaw('SUM(l.amount) <> 0')
  return rows.map((r: any) => `journal entry ${r.id} (${r.kind} ${r.reference}) sums to ${r.total}, not 0`)
}

/** I2 (committed part): every account's value is the sum of its journal lines. */
export const accountsMatchJournal: InvariantCheck = async (db) => {
  const rows = await db.raw(`
    SELECT a.id, a.type, a.currency, a.value, COALESCE(j.total, 0) AS journal
    FROM account a LEFT JOIN (SELECT account_id, SUM(amount) AS total FROM journal_line GROUP BY account_id) j ON j.account_id = a.id
    WHERE a.value <> COALESCE(j.total, 0)`)
  return rows[0].map((r: any) => `account ${r.id} (${r.type} ${r.currency}) has value ${r.value} but its journal sums to ${r.journal}`)
}

/** I2 (reserved part): reserved values are exactly what RESERVED transfers and payers' reserved settlements hold. */
export const reservationsMatch: InvariantCheck = async (db) => {
  const rows = await db.raw(`
    SELECT a.id, a.type, a.reserved_value, COALESCE(t.held, 0) + COALESCE(s.held, 0) AS held
    FROM account a
    LEFT JOIN (SELECT payer_account_id AS account_id, SUM(amount) AS held FROM transfer WHERE state = 'RESERVED' GROUP BY payer_account_id) t ON t.account_id = a.id
    LEFT JOIN (SELECT sa.id AS account_id, SUM(x.net_amount) AS held FROM settlement_account x
      JOIN account sa ON sa.participant_id = x.participant_id AND sa.currency = x.currency AND sa.type = 'SETTLEMENT'
      WHERE x.state = 'PS_TRANSFERS_RESERVED' AND x.net_amount > 0 GROUP BY sa.id) s ON s.account_id = a.id
    WHERE a.reserved_value <> COALESCE(t.held, 0) + COALESCE(s.held, 0)`)
  return rows[0].map((r: any) => `account ${r.id} (${r.type}) has reserved ${r.reserved_value} but holds ${r.held}`)
}

/** I2 (funds out in flight): the hub's clearing account holds exactly the RESERVED funds out of its currency. */
export const fundsOutClearingMatches: InvariantCheck = async (db) => {
  const rows = await db.raw(`
    SELECT a.id, a.currency, a.value, COALESCE(f.held, 0) AS held
    FROM account a
    LEFT JOIN (SELECT currency, SUM(amount) AS held FROM funds_movement WHERE direction = 'OUT' AND state = 'RESERVED' GROUP BY currency) f ON f.currency = a.currency
    WHERE a.type = 'HUB_FUNDS_OUT_CLEARING' AND a.value <> -COALESCE(f.held, 0)`)
  return rows[0].map((r: any) => `clearing account ${r.id} (${r.currency}) has value ${r.value} but funds out of ${r.held} are in flight`)
}

/** I3: per currency, all account values sum to zero. */
export const currenciesSumToZero: InvariantCheck = async (db) => {
  const rows = await db('account').select('currency').sum({ total: 'value' }).groupBy('currency').havingRaw('SUM(value) <> 0')
  return rows.map((r: any) => `accounts in ${r.currency} sum to ${r.total}, not 0`)
}

/** No settlement account shows more funds out than were paid in (balance below zero). */
export const settlementBalancesNotNegative: InvariantCheck = async (db) => {
  const rows = await db('account').where({ type: 'SETTLEMENT' }).whereRaw('value + reserved_value > 0').select('id', 'value', 'reserved_value')
  return rows.map((r: any) => `settlement account ${r.id} is below zero: value ${r.value}, reserved ${r.reserved_value}`)
}

export const LEDGER_INVARIANTS: Record<string, InvariantCheck> = {
  journalBalanced, accountsMatchJournal, reservationsMatch, fundsOutClearingMatches, currenciesSumToZero, settlementBalancesNotNegative,
}

export async function checkInvariants(db: Db, checks: Record<string, InvariantCheck> = LEDGER_INVARIANTS): Promise<string[]> {
  const results = await Promise.all(Object.entries(checks).map(async ([name, check]) => (await check(db)).map((v) => `${name}: ${v}`)))
  return results.flat()
}

/** The ledger's own checks (the name the onboarding brief gave; pipeline checks add to them). */
export const checkLedgerInvariants = (db: Db): Promise<string[]> => checkInvariants(db, LEDGER_INVARIANTS)

export async function assertLedgerInvariants(db: Db, checks: Record<string, InvariantCheck> = LEDGER_INVARIANTS): Promise<void> {
  assert.deepEqual(await checkInvariants(db, checks), [], 'ledger invariants')
}
