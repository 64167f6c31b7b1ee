// What a transfer callback from the switch says about the transfer's state, for the DFSP's books. The
// switch's PUT /transfers/{id} (the payee's fulfil forwarded, or the answer to a GET or a duplicate) and
// PATCH /transfers/{id} (to a payee that answered RESERVED) carry a transferState: COMMITTED and ABORTED
// are final, RECEIVED and RESERVED not yet. PUT /transfers/{id}/error ends the transfer (the payee
// rejected it, it expired, the payer had no liquidity, the fulfilment did not match…) except for two codes
// that say nothing about its state: 3106, a modified duplicate of a request (the original goes on), and
// 3208, no such transfer (yet: a prepare still on its way through the switch is not in the ledger).
export const MODIFIED_REQUEST = '3106'
export const TRANSFER_NOT_FOUND = '3208'

export type TransferNews =
  | { kind: 'final'; state: 'COMMITTED' | 'ABORTED'; errorCode?: string; description?: string }
  | { kind: 'not-final' }
  | { kind: 'not-found' }
  | { kind: 'nothing' }

export function transferNews(isError: boolean, body: any): TransferNews {
  if (isError) {
    const info = body?.errorInformation
    const errorCode = String(info?.errorCode ?? '1000')
    if (errorCode === TRANSFER_NOT_FOUND) return { kind: 'not-found' }
    if (errorCode === MODIFIED_REQUEST) return { kind: 'nothing' }
    return { kind: 'final', state: 'ABORTED', errorCode, description: String(info?.errorDescription ?? 'error callback without errorInformation') }
  }
  const state = body?.transferState
  if (state === 'COMMITTED' || state === 'ABORTED') return { kind: 'final', state }
  if (state === 'RECEIVED' || state === 'RESERVED') return { kind: 'not-final' }
  return { kind: 'nothing' }
}
