// A journal entry moves money only if it balances: at least two lines that sum to zero. Pure, shared by
// every ledger implementation.
import { toUnits } from './money.ts'
import type { JournalEntryInput } from '../ledger-port.ts'

/** Throws on an unbalanced entry: a bug, never bad input. */
export function assertBalanced(entry: JournalEntryInput): void {
  if (entry.lines.length < 2) throw new Error(`journal: entry ${entry.kind}/${entry.reference} needs at least two lines`)
  const sum = entry.lines.reduce((total, line) => total + toUnits(line.amount), 0n)
  if (sum !== 0n) throw new Error(`journal: entry ${entry.kind}/${entry.reference} is not balanced (sum ${sum} units)`)
}
