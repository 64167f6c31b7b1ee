// The position batch: reserve, commit and release of transfers against position accounts, applied in
// order, in memory, with the NDC and liquidity checks. Pure: the store loads the accounts (locked), this
// decides, the store writes the result. Amounts are bigint ten-thousandths (units).
//
// Rules (docs/adr/0001-ledger-conventions.md):
//   exposure  = value + reserved
//   reserve   : refused 4200 if ndc - exposure < amount; refused 4001 if liquidity - exposure < amount
//               (when the account is liquidity checked); else reserved += amount.
//   commit    : payer reserved -= amount, payer value += amount, payee value -= amount.
//   release   : payer reserved -= amount.
// Every reservation lowers the headroom of the next one in the same batch.

export interface PositionAccount {
  readonly id: number
  value: bigint
  reserved: bigint
  /** Net debit cap; undefined = no limit set, which refuses every reservation (4200). */
  readonly ndc: bigint | undefined
  /** Funds at the settlement bank less pending funds out; undefined = no liquidity check. Immediate
   *  gross settlement moves funds at commit, so it changes within a batch. */
  liquidity: bigint | undefined
}

export type PositionOp =
  | { readonly kind: 'reserve'; readonly payer: number; readonly amount: bigint }
  | { readonly kind: 'commit'; readonly payer: number; readonly payee: number; readonly amount: bigint }
  | { readonly kind: 'release'; readonly payer: number; readonly amount: bigint }

export type PositionResult = { readonly ok: true } | { readonly ok: false; readonly code: '4001' | '4200' }

const OK: PositionResult = { ok: true }
const NDC_EXCEEDED: PositionResult = { ok: false, code: '4200' }
const LIQUIDITY_EXCEEDED: PositionResult = { ok: false, code: '4001' }

/** Applies the operations in order to the accounts (mutated in place) and returns one result per op. */
export function applyPositionBatch(accounts: ReadonlyMap<number, PositionAccount>, ops: readonly PositionOp[]): PositionResult[] {
  const results: PositionResult[] = new Array(ops.length)
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!
    const payer = account(accounts, op.payer)
    if (op.kind === 'reserve') {
      results[i] = reserve(payer, op.amount)
    } else if (op.kind === 'commit') {
      const payee = account(accounts, op.payee)
      take(payer, op.amount)
      payer.value += op.amount
      payee.value -= op.amount
      results[i] = OK
    } else {
      take(payer, op.amount)
      results[i] = OK
    }
  }
  return results
}

function reserve(payer: PositionAccount, amount: bigint): PositionResult {
  if (amount <= 0n) throw new Error(`position: reserve of a non-positive amount ${amount}`)
  const exposure = payer.value + payer.reserved
  if (payer.ndc === undefined || payer.ndc - exposure < amount) return NDC_EXCEEDED
  if (payer.liquidity !== undefined && payer.liquidity - exposure < amount) return LIQUIDITY_EXCEEDED
  payer.reserved += amount
  return OK
}

function take(payer: PositionAccount, amount: bigint): void {
  if (payer.reserved < amount) throw new Error(`position: account ${payer.id} releases ${amount} but holds ${payer.reserved}`)
  payer.reserved -= amount
}

function account(accounts: ReadonlyMap<number, PositionAccount>, id: number): PositionAccount {
  const found = accounts.get(id)
  if (!found) throw new Error(`position: account ${id} is not in the batch`)
  return found
}
