// Reads a funds-in or funds-out transfer by id (for GET /transfers/{id}, which central-ledger answers for
// them too: they are transfers between the hub and a DFSP there).
import type { Knex } from 'knex'

export interface FundsTransferView {
  id: string
  participantId: number
  state: 'RESERVED' | 'COMMITTED' | 'ABORTED'
  completedAt: Date | null
}

export async function findFundsTransfer(q: Knex | Knex.Transaction, id: string): Promise<FundsTransferView | undefined> {
  const row = await q('funds_movement').where({ id }).first('id', 'participant_id', 'state', 'completed_at')
  return row && { id: row.id, participantId: Number(row.participant_id), state: row.state, completedAt: row.completed_at }
}
