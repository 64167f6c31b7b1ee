// A reference DFSP's books on disk: an append-only file of JSON lines, one per movement (a hold at
// prepare, a credit expected at fulfil, a final state booked), each written and flushed to the disk
// (fdatasync) before the DFSP acts on it: a hold is on disk before its prepare leaves. A DFSP started on
// the file replays it over its customers' opening balances and resumes resolving what was pending. A
// last line cut short by a crash is ignored (its movement had not been acted on) and cut off the file.
import { closeSync, existsSync, fdatasyncSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs'
import type { Books, FinalState } from './books.ts'

export type JournalEntry =
  | { kind: 'hold' | 'expect'; transferId: string; customer: string; amount: string; expiration_ms: number }
  | { kind: 'final'; transferId: string; state: FinalState }

export class BooksJournal {
  private constructor(private readonly fd: number) {}

  /** Opens (or creates) the file; answers the journal to append to and what the file held. */
  static open(file: string): { journal: BooksJournal; entries: JournalEntry[] } {
    const bytes = existsSync(file) ? readFileSync(file) : Buffer.alloc(0)
    const entries = readEntries(bytes.toString('utf8'))
    const whole = bytes.lastIndexOf(0x0a) + 1
    if (whole < bytes.length) truncateSync(file, whole) // the next line must not follow a torn one
    return { journal: new BooksJournal(openSync(file, 'a')), entries }
  }

  append(entry: JournalEntry): void {
    writeSync(this.fd, `${JSON.stringify(entry)}\n`)
    fdatasyncSync(this.fd)
  }

  close(): void {
    closeSync(this.fd)
  }
}

export function readEntries(text: string): JournalEntry[] {
  const lines = text.split('\n').filter((l) => l.length > 0)
  const entries: JournalEntry[] = []
  for (const [i, line] of lines.entries()) {
    try {
      entries.push(JSON.parse(line) as JournalEntry)
    } catch (error) {
      if (i === lines.length - 1 && !text.endsWith('\n')) break // cut short by a crash
      throw new Error(`books journal: line ${i + 1} is not JSON: ${(error as Error).message}`)
    }
  }
  return entries
}

/** Replays the entries into books opened with the opening balances; answers the pending transfers' expirations. */
export function replay(books: Books, entries: readonly JournalEntry[]): Map<string, number> {
  const pending = new Map<string, number>()
  for (const e of entries) {
    if (e.kind === 'final') {
      books.finish(e.transferId, e.state)
      pending.delete(e.transferId)
      continue
    }
    const taken = e.kind === 'hold' ? books.hold(e.transferId, e.customer, e.amount) : books.expectCredit(e.transferId, e.customer, e.amount)
    if (!taken) throw new Error(`books journal: ${e.kind} ${e.transferId} for ${e.customer} does not replay (other opening balances?)`)
    pending.set(e.transferId, e.expiration_ms)
  }
  return pending
}
