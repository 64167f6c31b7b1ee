// After a load test: each simulated DFSP's own books must agree with the switch. What a DFSP's customers
// lost in total (sent minus received, in its books) is its position at the switch (what it owes the
// scheme), and nothing may be left held or expected once every payment is final.
import type { AdminClient } from '../admin-client/admin-client.ts'
import type { ReferenceDfsp } from '../../adapters/reference-dfsp/reference-dfsp.ts'
import { toUnits } from '../../ledger/domain/money.ts'

/** Books totals at the start, to compare against after the run. */
export function booksTotals(dfsps: readonly ReferenceDfsp[]): Map<string, bigint> {
  return new Map(dfsps.map((d) => [d.name, d.books.total()]))
}

/** Disagreements between the DFSPs' books and the switch's positions; empty when they agree. */
export async function reconcileBooks(admin: AdminClient, dfsps: readonly ReferenceDfsp[], initial: ReadonlyMap<string, bigint>, currency: string): Promise<string[]> {
  const problems: string[] = []
  for (const d of dfsps) {
    const position = (await admin.request('GET', `/participants/${d.name}/positions?currency=${currency}`)) as { value: number } // a JSON number, as central-ledger
    const spent = initial.get(d.name)! - d.books.total()
    if (toUnits(String(position.value)) !== spent) {
      problems.push(`${d.name}: position at the switch ${position.value}, its books show ${spent} units (1/10000) paid out net`)
    }
    if (d.books.pendingCount > 0) problems.push(`${d.name}: ${d.books.pendingCount} transfers still held or expected in its books`)
    for (const c of d.books.conflicts) problems.push(`${d.name}: transfer ${c.transferId} reported ${c.reported} after its books had it ${c.booked}`)
  }
  return problems
}
