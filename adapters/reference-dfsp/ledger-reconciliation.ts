// Reconciliation of a DFSP's own books with the switch's ledger, after a run with or without faults:
// - nothing is left pending in the books (every transfer it took part in is final for it);
// - every transfer its books made final has that final state in the ledger, with the DFSP on the same
//   side and the same amount: COMMITTED is COMMITTED; ABORTED is ABORTED, EXPIRED (FSPIOP reports it as
//   ABORTED) or a transfer the ledger never held (a prepare that never reached the switch);
// - every transfer of the DFSP in the ledger is final, and a COMMITTED one is booked COMMITTED;
// - what the books booked net (paid out as payer minus received as payee, COMMITTED only) is the ledger's
//   position change for the DFSP (position value plus reserved, as the admin API answers it);
// - no final state was reported against the one booked (books.ts conflicts).
// Run it once the run is over and the DFSP's books have nothing pending (Books.pendingCount 0): the
// ledger may still be finishing a transfer the DFSP already knows never happened (an accepted prepare
// processed after its expiration ends EXPIRED). The ledger is read through a LedgerView: ledgerViewOfDb
// reads the switch's database. A reference DFSP books one currency (its customers' balances have none),
// the one reconciled.
import type { Db } from '../../ledger/store/db.ts'
import { fspiopTransferState, isFinal, type TransferState } from '../../ledger/domain/transfer-state.ts'
import { toUnits, fromUnits } from '../../ledger/domain/money.ts'
import type { Books } from './books.ts'

/** Problems listed by kind at most this many times each (the count is always given). */
export const EXAMPLES_LISTED_MAX = 5

export interface LedgerTransfer {
  id: string
  payerFsp: string
  payeeFsp: string
  /** Decimal string, as the ledger holds it. */
  amount: string
  state: TransferState
}

export interface LedgerView {
  /** Every transfer in the currency with the DFSP as payer or payee. */
  transfersOf(dfsp: string, currency: string): Promise<LedgerTransfer[]>
  /** The DFSP's position in units (money.ts): its POSITION account's value plus what is reserved on it. */
  positionOf(dfsp: string, currency: string): Promise<bigint>
}

/** What the reconciliation reads of a DFSP: a ReferenceDfsp is one. */
export interface DfspBooks {
  name: string
  books: Books
}

export interface ReconcileOptions {
  currency: string
  /** The DFSP's position before its first transfer (0 for a DFSP onboarded for the run). */
  positionAtStart?: bigint
}

/** Where the DFSP's books and the ledger disagree; empty when they reconcile exactly. */
export async function reconcileWithLedger(dfsp: DfspBooks, ledger: LedgerView, opts: ReconcileOptions): Promise<string[]> {
  const { books, name } = dfsp
  const problems: string[] = []
  const report = (kind: string, ids: string[]) => {
    if (ids.length > 0) problems.push(`${name}: ${ids.length} ${kind}: ${ids.slice(0, EXAMPLES_LISTED_MAX).join(', ')}${ids.length > EXAMPLES_LISTED_MAX ? ', …' : ''}`)
  }
  report('transfers still pending in its books', books.pendingIds())
  const inLedger = new Map((await ledger.transfersOf(name, opts.currency)).map((t) => [t.id, t]))
  const mismatched: string[] = []
  let bookedNet = 0n
  for (const [id, booked] of books.finals) {
    const t = inLedger.get(id)
    const ledgerState = t ? fspiopTransferState(t.state) : 'ABORTED'
    const sideMatches = !t || (booked.role === 'payer' ? t.payerFsp === name : t.payeeFsp === name)
    if (ledgerState !== booked.state || !sideMatches || (t && booked.state === 'COMMITTED' && toUnits(t.amount) !== booked.amount)) {
      mismatched.push(`${id} (books ${booked.role} ${booked.state} ${fromUnits(booked.amount)}, ledger ${t ? `${t.state} ${t.amount} ${t.payerFsp}→${t.payeeFsp}` : 'none'})`)
    }
    if (booked.state === 'COMMITTED') bookedNet += booked.role === 'payer' ? booked.amount : -booked.amount
  }
  report('transfers final in its books otherwise than in the ledger', mismatched)
  const notFinal: string[] = []
  const committedUnbooked: string[] = []
  for (const t of inLedger.values()) {
    if (!isFinal(t.state)) notFinal.push(`${t.id} (${t.state})`)
    else if (t.state === 'COMMITTED' && !books.finals.has(t.id)) committedUnbooked.push(`${t.id} (${t.amount} ${t.payerFsp}→${t.payeeFsp})`)
  }
  report('transfers not final in the ledger', notFinal)
  report('transfers COMMITTED in the ledger its books do not have', committedUnbooked)
  const positionChange = (await ledger.positionOf(name, opts.currency)) - (opts.positionAtStart ?? 0n)
  if (positionChange !== bookedNet) {
    problems.push(`${name}: its books booked ${fromUnits(bookedNet)} ${opts.currency} paid out net, its position in the ledger moved ${fromUnits(positionChange)}`)
  }
  report('final states reported against the one booked', books.conflicts.map((c) => `${c.transferId} (booked ${c.booked}, reported ${c.reported})`))
  return problems
}

/** The ledger as the switch's database holds it. */
export function ledgerViewOfDb(db: Db): LedgerView {
  return {
    async transfersOf(dfsp, currency) {
      const rows: { id: string; payer_fsp: string; payee_fsp: string; amount: string; state: TransferState }[] = await db('transfer')
        .where({ currency }).andWhere((q) => q.where({ payer_fsp: dfsp }).orWhere({ payee_fsp: dfsp }))
        .select('id', 'payer_fsp', 'payee_fsp', 'amount', 'state')
      return rows.map((r) => ({ id: r.id, payerFsp: r.payer_fsp, payeeFsp: r.payee_fsp, amount: String(r.amount), state: r.state }))
    },
    async positionOf(dfsp, currency) {
      const row = await db('account as a').join('participant as p', 'p.id', 'a.participant_id')
        .where({ 'p.name': dfsp, 'a.currency': currency, 'a.type': 'POSITION' }).select('a.value', 'a.reserved_value').first()
      if (!row) throw new Error(`reconciliation: ${dfsp} has no ${currency} POSITION account in the ledger`)
      return toUnits(String(row.value)) + toUnits(String(row.reserved_value))
    },
  }
}
