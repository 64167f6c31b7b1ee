// The one way money moves: a balanced journal entry whose lines change account values in the same
// transaction. See docs/adr/0001-ledger-conventions.md.
import type { Knex } from 'knex'
import { fromUnits, toDbDecimal, toUnits } from '../domain/money.ts'
import type { JournalEntryInput } from '../ledger-port.ts'
import { assertBalanced } from '../domain/journal-balance.ts'
import { insertMany } from './db.ts'

export type { JournalEntryInput, JournalLine } from '../ledger-port.ts'

/**
 * Writes one balanced entry and applies its lines to the accounts. Throws on an unbalanced entry (a bug,
 * never bad input) and on a repeated (kind, reference) (unique key): a movement is written at most once.
 */
export async function postJournalEntry(trx: Knex.Transaction, entry: JournalEntryInput): Promise<void> {
  await postJournalEntries(trx, [entry])
}

/** Many entries in one go: one insert per table and one UPDATE per account touched. */
export async function postJournalEntries(trx: Knex.Transaction, entries: readonly JournalEntryInput[]): Promise<void> {
  if (entries.length === 0) return
  for (const entry of entries) assertBalanced(entry)
  const deltas = new Map<number, bigint>()
  for (const line of entries.flatMap((e) => e.lines)) {
    deltas.set(line.accountId, (deltas.get(line.accountId) ?? 0n) + toUnits(line.amount))
  }
  // Accounts first (exclusive locks in id order), lines after: the lines' foreign keys take shared locks
  // on their accounts, and a shared lock upgraded to exclusive deadlocks two entries on one hub account.
  const unchanged: number[] = []
  for (const [accountId, units] of [...deltas].sort(([a], [b]) => a - b)) {
    if (units === 0n) { unchanged.push(accountId); continue }
    await trx('account')
      .where({ id: accountId })
      .update({ value: trx.raw('value + ?', [toDbDecimal(fromUnits(units))]), changed_at: trx.fn.now(3) })
  }
  if (unchanged.length > 0) await trx('account').whereIn('id', unchanged).orderBy('id').forUpdate().select('id')
  await insertJournalRows(trx, entries)
}

/**
 * Writes entries and their lines only, for a caller that has already applied the lines to the locked
 * accounts it holds in memory (the position batch) and writes the accounts itself.
 */
export async function insertJournalRows(trx: Knex.Transaction, entries: readonly JournalEntryInput[]): Promise<void> {
  if (entries.length === 0) return
  for (const entry of entries) assertBalanced(entry)
  const first = await insertMany(trx, 'journal_entry', entries.map((entry) => ({
    kind: entry.kind, reference: entry.reference, currency: entry.currency, settlement_window_id: entry.settlementWindowId ?? null, created_by: entry.createdBy,
  })))
  await trx('journal_line').insert(entries.flatMap((entry, i) =>
    entry.lines.map((line) => ({ entry_id: (first + BigInt(i)).toString(), account_id: line.accountId, amount: toDbDecimal(line.amount) }))))
}
