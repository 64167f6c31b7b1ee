// Which POSITION account owns a transfer's messages, for routing its fulfil straight to the position topic
// (keyed by that account): the payer's, or, for the dependent transfer of a currency conversion, the
// conversion's owner (the initiating DFSP's source-currency POSITION account), with the conversion's id.
import type { Db } from '../../ledger/store/db.ts'
import { batchedLookup } from './batched-lookup.ts'

export interface TransferOwner {
  accountId: number
  /** Set for the dependent transfer of a conversion (fx_transfer.dependent_linked). */
  commitRequestId?: string
}

export interface PayerAccounts {
  /** The owner of a transfer the ledger holds; undefined for one it does not. */
  of(transferId: string): Promise<TransferOwner | undefined>
}

export function createPayerAccounts(db: Db): PayerAccounts {
  const of = batchedLookup<TransferOwner>(async (ids) => {
    const rows: { id: string; payer_account_id: number; commit_request_id: string | null; owner_account_id: number | null }[] = await db('transfer as t')
      .leftJoin('fx_transfer as f', function () { this.on('f.determining_transfer_id', '=', 't.id').andOn('f.dependent_linked', '=', db.raw('1')) })
      .whereIn('t.id', ids).select('t.id', 't.payer_account_id', 'f.commit_request_id', 'f.owner_account_id')
    return new Map(rows.map((r) => [r.id, r.commit_request_id
      ? { accountId: Number(r.owner_account_id), commitRequestId: r.commit_request_id }
      : { accountId: Number(r.payer_account_id) }]))
  })
  return { of }
}
