// The OPEN settlement window, as seen by a transaction that commits money into it.
import type { Knex } from 'knex'

/**
 * Id of the OPEN settlement window, read with a shared lock: a window close (which updates that row)
 * waits for the commits in flight and every later commit sees the new window. So a transfer always lands
 * in the window that was open when it committed, and a closed window never receives one.
 */
export async function lockOpenWindowId(trx: Knex.Transaction): Promise<string> {
  const row = await trx('settlement_window').select('id').where({ state: 'OPEN' }).forShare().first()
  if (!row) throw new Error('ledger: no OPEN settlement window (there must always be one)')
  return String(row.id)
}
