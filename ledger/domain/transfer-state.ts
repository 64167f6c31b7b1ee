// The transfer state machine. States only move forward; nothing leaves a final state (I8).
export const TRANSFER_STATES = ['RECEIVED', 'RESERVED', 'COMMITTED', 'ABORTED', 'EXPIRED'] as const
export type TransferState = (typeof TRANSFER_STATES)[number]

const NEXT: Record<TransferState, readonly TransferState[]> = {
  RECEIVED: ['RESERVED', 'ABORTED', 'EXPIRED'],
  RESERVED: ['COMMITTED', 'ABORTED', 'EXPIRED'],
  COMMITTED: [],
  ABORTED: [],
  EXPIRED: [],
}

export function isFinal(state: TransferState): boolean {
  return NEXT[state].length === 0
}

export function canMove(from: TransferState, to: TransferState): boolean {
  return NEXT[from].includes(to)
}

/** The transferState a DFSP sees (FSPIOP TransferState): EXPIRED is reported as ABORTED. */
export function fspiopTransferState(state: TransferState): 'RECEIVED' | 'RESERVED' | 'COMMITTED' | 'ABORTED' {
  return state === 'EXPIRED' ? 'ABORTED' : state
}
