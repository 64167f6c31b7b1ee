// Which payer POSITION account a transfer reserved against, for routing its fulfil straight to the
// position topic (keyed by that account). Lookups made while one query is in flight share the next one:
// under load, a batch of fulfils costs one primary-key query, not one each.
import type { Db } from '../../ledger/store/db.ts'

/** Ids asked for in one query at most. */
export const LOOKUP_IDS_MAX = 500

export interface PayerAccounts {
  /** The payer's POSITION account id, or undefined for a transfer the ledger does not hold. */
  of(transferId: string): Promise<number | undefined>
}

interface Waiting {
  resolve: (accountId: number | undefined) => void
  reject: (error: Error) => void
}

export function createPayerAccounts(db: Db): PayerAccounts {
  const queued = new Map<string, Waiting[]>()
  let querying = false

  async function run(): Promise<void> {
    querying = true
    while (queued.size > 0) {
      const batch = [...queued].slice(0, LOOKUP_IDS_MAX)
      for (const [id] of batch) queued.delete(id)
      try {
        const rows: { id: string; payer_account_id: number }[] = await db('transfer').whereIn('id', batch.map(([id]) => id)).select('id', 'payer_account_id')
        const found = new Map(rows.map((r) => [r.id, Number(r.payer_account_id)]))
        for (const [id, waiters] of batch) for (const w of waiters) w.resolve(found.get(id))
      } catch (error) {
        for (const [, waiters] of batch) for (const w of waiters) w.reject(error as Error)
      }
    }
    querying = false
  }

  return {
    of(transferId) {
      return new Promise((resolve, reject) => {
        const waiters = queued.get(transferId)
        if (waiters) waiters.push({ resolve, reject })
        else queued.set(transferId, [{ resolve, reject }])
        if (!querying) void run()
      })
    },
  }
}
