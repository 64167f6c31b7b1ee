// Settlement rules, pure: the states a settlement account goes through, which moves are allowed, the
// settlement's state as the least advanced of its accounts, and the journal lines of each step.
export const SETTLEMENT_STATES = ['PENDING_SETTLEMENT', 'PS_TRANSFERS_RECORDED', 'PS_TRANSFERS_RESERVED', 'PS_TRANSFERS_COMMITTED', 'SETTLED'] as const
export type SettlementState = (typeof SETTLEMENT_STATES)[number] | 'ABORTED'

const rank = (s: SettlementState) => (s === 'ABORTED' ? -1 : SETTLEMENT_STATES.indexOf(s))

/** An account moves one state forward at a time; it may be aborted until its transfers are committed. */
export function canAdvance(from: SettlementState, to: SettlementState): boolean {
  if (to === 'ABORTED') return rank(from) >= 0 && rank(from) < rank('PS_TRANSFERS_COMMITTED')
  return rank(from) >= 0 && rank(to) === rank(from) + 1
}

/** A settlement is as far as its least advanced account. */
export function settlementStateOf(accountStates: readonly SettlementState[]): SettlementState {
  if (accountStates.length === 0) return 'SETTLED'
  if (accountStates.includes('ABORTED')) return 'ABORTED'
  return SETTLEMENT_STATES[Math.min(...accountStates.map(rank))]!
}

export interface SettlementAccounts {
  position: number
  settlement: number
  hubMultilateral: number
}

export interface StepLines {
  kind: string
  lines: { accountId: number; amount: bigint }[]
}

/**
 * Journal entries (in units) for an account entering `to`, with net > 0 when the DFSP pays:
 * RESERVED: a payer's position is reset against the hub's multilateral settlement account.
 * COMMITTED: a payer's funds leave its settlement account; a payee's position is reset and its funds arrive.
 * Every entry sums to zero; the hub's multilateral account nets to zero once all are committed.
 */
export function stepEntries(to: SettlementState, net: bigint, a: SettlementAccounts): StepLines[] {
  if (net === 0n) return []
  const reset = { kind: 'SETTLEMENT_POSITION_RESET', lines: [{ accountId: a.position, amount: -net }, { accountId: a.hubMultilateral, amount: net }] }
  const funds = { kind: 'SETTLEMENT_FUNDS', lines: [{ accountId: a.settlement, amount: net }, { accountId: a.hubMultilateral, amount: -net }] }
  if (to === 'PS_TRANSFERS_RESERVED') return net > 0n ? [reset] : []
  if (to === 'PS_TRANSFERS_COMMITTED') return net > 0n ? [funds] : [reset, funds]
  return []
}
