// A reference DFSP's own books: customer accounts in bigint units (money.ts), each with a balance, what is
// held for outgoing transfers and what is expected from incoming ones. Money moves only on a final state:
// a payer holds at prepare and debits when the switch's callback says COMMITTED (releases on an error);
// a payee expects the credit when it fulfils and books it when the transfer is final for it. Every final
// outcome is remembered (for reconciliation with the ledger): a repeat of it changes nothing, a different
// one is a conflict, kept for the reconciliation to report. Pure.
import { toUnits } from '../../ledger/domain/money.ts'

export const CONFLICTS_KEPT_MAX = 1_000

/** The final states a DFSP sees (FSPIOP: EXPIRED is reported as ABORTED). */
export type FinalState = 'COMMITTED' | 'ABORTED'

/** A transfer these books have made final. */
export interface BookedTransfer {
  role: 'payer' | 'payee'
  customer: string
  amount: bigint
  state: FinalState
}

/** A final state reported for a transfer the books had already made final otherwise. */
export interface Conflict {
  transferId: string
  booked: FinalState
  reported: FinalState
}

export interface CustomerAccount {
  balance: bigint
  /** Held for outgoing transfers not yet final. */
  held: bigint
  /** Expected from incoming transfers not yet final (not spendable). */
  incoming: bigint
}

interface Pending {
  customer: string
  amount: bigint
}

export class Books {
  readonly accounts = new Map<string, CustomerAccount>()
  private readonly holds = new Map<string, Pending>()
  private readonly credits = new Map<string, Pending>()
  /** Every transfer made final here, by id. */
  readonly finals = new Map<string, BookedTransfer>()
  readonly conflicts: Conflict[] = []

  open(customer: string, balance: string): void {
    this.accounts.set(customer, { balance: toUnits(balance), held: 0n, incoming: 0n })
  }

  has(customer: string): boolean {
    return this.accounts.has(customer)
  }

  /** What the customer can still spend. */
  available(customer: string): bigint {
    const account = this.accounts.get(customer)
    return account ? account.balance - account.held : 0n
  }

  // ---- payer side ----

  /** Holds the amount for a transfer; false when the customer cannot pay it or the id is taken. */
  hold(transferId: string, customer: string, amount: string): boolean {
    const account = this.accounts.get(customer)
    const units = toUnits(amount)
    if (!account || this.knows(transferId) || account.balance - account.held < units) return false
    account.held += units
    this.holds.set(transferId, { customer, amount: units })
    return true
  }

  /** The switch committed: the held amount leaves the customer's account. */
  settleHold(transferId: string): void {
    const hold = take(this.holds, transferId)
    if (!hold) return this.repeated(transferId, 'COMMITTED')
    const account = this.accounts.get(hold.customer)!
    account.held -= hold.amount
    account.balance -= hold.amount
    this.finals.set(transferId, { role: 'payer', ...hold, state: 'COMMITTED' })
  }

  /** The transfer failed: the hold is released. */
  releaseHold(transferId: string): void {
    const hold = take(this.holds, transferId)
    if (!hold) return this.repeated(transferId, 'ABORTED')
    this.accounts.get(hold.customer)!.held -= hold.amount
    this.finals.set(transferId, { role: 'payer', ...hold, state: 'ABORTED' })
  }

  // ---- payee side ----

  /** The payee fulfilled a transfer: the credit is expected; false for an unknown customer or a repeat. */
  expectCredit(transferId: string, customer: string, amount: string): boolean {
    const account = this.accounts.get(customer)
    if (!account || this.knows(transferId)) return false
    const units = toUnits(amount)
    account.incoming += units
    this.credits.set(transferId, { customer, amount: units })
    return true
  }

  /** The transfer is final and committed for the payee: the customer has the money. */
  bookCredit(transferId: string): void {
    const credit = take(this.credits, transferId)
    if (!credit) return this.repeated(transferId, 'COMMITTED')
    const account = this.accounts.get(credit.customer)!
    account.incoming -= credit.amount
    account.balance += credit.amount
    this.finals.set(transferId, { role: 'payee', ...credit, state: 'COMMITTED' })
  }

  /** The transfer failed after all (aborted, expired, fulfilment refused): nothing arrives. */
  dropCredit(transferId: string): void {
    const credit = take(this.credits, transferId)
    if (!credit) return this.repeated(transferId, 'ABORTED')
    this.accounts.get(credit.customer)!.incoming -= credit.amount
    this.finals.set(transferId, { role: 'payee', ...credit, state: 'ABORTED' })
  }

  // ---- either side ----

  /** The transfer is final with this state, whichever side of it these books are on. */
  finish(transferId: string, state: FinalState): void {
    if (this.holds.has(transferId)) {
      if (state === 'COMMITTED') this.settleHold(transferId)
      else this.releaseHold(transferId)
    } else if (state === 'COMMITTED') {
      this.bookCredit(transferId)
    } else {
      this.dropCredit(transferId)
    }
  }

  isPending(transferId: string): boolean {
    return this.holds.has(transferId) || this.credits.has(transferId)
  }

  /** Pending or final here. */
  knows(transferId: string): boolean {
    return this.isPending(transferId) || this.finals.has(transferId)
  }

  /** The ids of the transfers not final yet. */
  pendingIds(): string[] {
    return [...this.holds.keys(), ...this.credits.keys()]
  }

  hasExpectedCredit(transferId: string): boolean {
    return this.credits.has(transferId)
  }

  /** Sum of the balances: constant across payer and payee books when every transfer is final. */
  total(): bigint {
    let sum = 0n
    for (const a of this.accounts.values()) sum += a.balance
    return sum
  }

  /** Transfers not final yet, held and expected. */
  get pendingCount(): number {
    return this.holds.size + this.credits.size
  }

  /** A final state for a transfer not pending: nothing when it repeats the booked one (or the id is unknown). */
  private repeated(transferId: string, reported: FinalState): void {
    const booked = this.finals.get(transferId)
    if (booked && booked.state !== reported && this.conflicts.length < CONFLICTS_KEPT_MAX) this.conflicts.push({ transferId, booked: booked.state, reported })
  }
}

function take(map: Map<string, Pending>, transferId: string): Pending | undefined {
  const pending = map.get(transferId)
  if (pending) map.delete(transferId)
  return pending
}
