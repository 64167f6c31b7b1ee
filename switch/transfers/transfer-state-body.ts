// The body of the PUT /transfers/{id} the hub sends with a transfer's state (a GET, a duplicate of a
// request already final): central-ledger's toFulfil transform, whatever the state. transferState is
// the FSPIOP one (EXPIRED is ABORTED); an aborted transfer is a state, not an error callback.
import { fspiopTransferState } from '../../ledger/domain/transfer-state.ts'
import type { TransferRow } from '../../ledger/store/transfers.ts'
import type { FundsTransferView } from '../../ledger/store/funds-lookup.ts'

export function transferStateBody(row: Pick<TransferRow, 'state' | 'fulfilment' | 'completed_at'>): Record<string, unknown> {
  return {
    ...(row.fulfilment ? { fulfilment: row.fulfilment } : {}),
    ...(row.completed_at ? { completedTimestamp: row.completed_at.toISOString() } : {}),
    transferState: fspiopTransferState(row.state),
  }
}

export function fundsTransferStateBody(funds: FundsTransferView): Record<string, unknown> {
  return { ...(funds.completedAt ? { completedTimestamp: funds.completedAt.toISOString() } : {}), transferState: funds.state }
}
