// A reference DFSP's own books: customer accounts with balances and holds, in bigint units. A payer's
// transfer holds the amount, the switch's COMMITTED debits it, an error releases it; a payee credits
// its customer when it fulfils. Pure.
import { toUnits } from '../../ledger/domain/money.ts'

export interface CustomerAccount {
  balance: bigint
  held: bigint
}

export class Books {
  readonly accounts = new Map<string, CustomerAccount>()
  private readonly holds = new Map<string, { customer: string; amount: bigint }>()

  open(customer: string, balance: string): void {
    this.accounts.set(customer, { balance: toUnits(balance), held: 0n })
  }

  has(customer: string): boolean {
    return this.accounts.has(customer)
  }

  /** Holds the amount for a transfer; false when the customer cannot pay it. */
  hold(transferId: string, customer: string, amount: string): boolean {
    const account = this.accounts.get(customer)
    const units = toUnits(amount)
    if (!account || account.balance - account.held < units) return false
    account.held += units
    this.holds.set(transferId, { customer, amount: units })
    return true
  }

  /** The switch committed: the held amount leaves the customer's account. */
  settleHold(transferId: string): void {
    const hold = this.take(transferId)
    if (!hold) return
    const account = this.accounts.get(hold.customer)!
    account.balance -= hold.amount
  }

  /** The transfer failed: the hold is released. */
  releaseHold(transferId: string): void {
    this.take(transferId)
  }

  credit(customer: string, amount: string): void {
    const account = this.accounts.get(customer)
    if (!account) throw new Error(`books: no customer ${customer}`)
    account.balance += toUnits(amount)
  }

  total(): bigint {
    let sum = 0n
    for (const a of this.accounts.values()) sum += a.balance
    return sum
  }

  private take(transferId: string): { customer: string; amount: bigint } | undefined {
    const hold = this.holds.get(transferId)
    if (!hold) return undefined
    this.holds.delete(transferId)
    this.accounts.get(hold.customer)!.held -= hold.amount
    return hold
  }
}
