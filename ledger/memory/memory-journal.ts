// Journal entries on the in-memory ledger: balanced, once per kind and reference, one line per account.
import type { JournalEntryInput } from '../ledger-port.ts'
import { assertBalanced } from '../domain/journal-balance.ts'
import { toUnits } from '../domain/money.ts'
import type { MemoryLedgerTables } from './memory-tables.ts'

/** Entries and lines only (the caller writes the accounts itself). */
export function insertEntries(t: MemoryLedgerTables, entries: readonly JournalEntryInput[]): void {
  for (const entry of entries) {
    assertBalanced(entry)
    const key = `${entry.kind}/${entry.reference}`
    if (t.journal.has(key)) throw duplicateKey(`journal entry ${key}`)
    const accounts = new Set<number>()
    for (const line of entry.lines) {
      t.account(line.accountId)
      if (accounts.has(line.accountId)) throw duplicateKey(`journal line ${key}/${line.accountId}`)
      accounts.add(line.accountId)
    }
    t.journal.set(key, {
      id: t.ids.entry.next(), kind: entry.kind, reference: entry.reference, currency: entry.currency, settlementWindowId: entry.settlementWindowId ?? null,
      createdBy: entry.createdBy, createdAt: t.db.clock(), lines: entry.lines.map((l) => ({ accountId: l.accountId, units: toUnits(l.amount) })),
    })
  }
}

/** Balanced entries, applied to the accounts' values. */
export function postEntries(t: MemoryLedgerTables, entries: readonly JournalEntryInput[]): void {
  for (const entry of entries) assertBalanced(entry)
  for (const line of entries.flatMap((e) => e.lines)) {
    const account = t.account(line.accountId)
    t.accounts.set(account.id, { ...account, value: account.value + toUnits(line.amount) })
  }
  insertEntries(t, entries)
}

/** What MySQL's unique keys answer, with the same code, so callers can tell a duplicate from a bug. */
export function duplicateKey(what: string): Error {
  return Object.assign(new Error(`memory ledger: duplicate ${what}`), { code: 'ER_DUP_ENTRY' })
}
