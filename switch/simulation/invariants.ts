// Invariants I1-I8 (shared/ARCHITECTURE.md §5; the SQL versions are ledger/invariants/*.ts) over the
// simulation's in-memory state: the memory ledger's and store's tables, the memory bus's committed
// offsets, and what the simulated DFSPs heard. checkAlways runs after every step; checkAtEnd once the
// clock has passed every expiry plus the scan interval and the network has drained (I1, I6).
import { canMove, isFinal, type TransferState } from '../../ledger/domain/transfer-state.ts'
import { conditionOf } from '../../ledger/domain/fulfilment.ts'
import { toUnits } from '../../ledger/domain/money.ts'
import { partiesToTell } from '../invariants/pipeline-invariants.ts'

export type InvariantId = 'I1' | 'I2' | 'I3' | 'I4' | 'I5' | 'I6' | 'I7' | 'I8'

export interface Violation {
  /** `assertion`: the pipeline threw on what must never happen (a bug, not bad input). */
  invariant: InvariantId | 'assertion'
  message: string
}

export interface ViewTransfer {
  id: string
  state: TransferState
  payer_fsp: string
  payee_fsp: string
  payer_account_id: number
  payee_account_id: number
  amount: string
  ilp_condition: string
  prepare_hash: string
  fulfil_hash: string | null
  fulfilment: string | null
  error_code: string | null
  payee_wants_patch: boolean | number | null
}

export interface ViewAccount {
  id: number
  participant_id: number
  currency: string
  type: string
  value: bigint
  reserved: bigint
}

/** The state the invariants read: durable state only (what survives a crash). */
export interface SimulationView {
  transfers: readonly ViewTransfer[]
  /** In the order they were written. */
  stateChanges: readonly { transfer_id: string; state: TransferState }[]
  accounts: readonly ViewAccount[]
  journal: readonly { kind: string; reference: string; lines: readonly { accountId: number; units: bigint }[] }[]
  netDebitCaps: ReadonlyMap<number, bigint>
  liquidityChecked(currency: string): boolean
  deadLetters: readonly { recipient: string; reference: string | null; reason: string }[]
  /** `${group}|${topic}|${partition}` → next offset, as the store recorded it with the effects. */
  storedOffsets: ReadonlyMap<string, bigint>
  /** Same keys: what the bus holds as each group's committed offset. */
  busCommittedOffsets: ReadonlyMap<string, bigint>
}

/** What the simulation knows from outside the switch. */
export interface Expectations {
  /** Transfer ids whose prepare was answered 202, with the hash of the first prepare of that id. */
  accepted: ReadonlyMap<string, { hash: string }>
  heard(recipient: string, transferId: string): boolean
}

const v = (invariant: InvariantId, message: string): Violation => ({ invariant, message })

/** I2: positions recomputable from the journal (values) and from the RESERVED transfers (reservations). */
export function positionsMatchJournal(view: SimulationView): Violation[] {
  const journal = new Map<number, bigint>()
  for (const entry of view.journal) for (const line of entry.lines) journal.set(line.accountId, (journal.get(line.accountId) ?? 0n) + line.units)
  const held = new Map<number, bigint>()
  for (const t of view.transfers) if (t.state === 'RESERVED') held.set(t.payer_account_id, (held.get(t.payer_account_id) ?? 0n) + toUnits(t.amount))
  const out: Violation[] = []
  for (const a of view.accounts) {
    const lines = journal.get(a.id) ?? 0n
    if (a.value !== lines) out.push(v('I2', `account ${a.id} (${a.type}) has value ${a.value} but its journal sums to ${lines}`))
    const reserved = held.get(a.id) ?? 0n
    if (a.reserved !== reserved) out.push(v('I2', `account ${a.id} (${a.type}) has reserved ${a.reserved} but its RESERVED transfers hold ${reserved}`))
  }
  for (const entry of view.journal) {
    const sum = entry.lines.reduce((s, l) => s + l.units, 0n)
    if (sum !== 0n) out.push(v('I2', `journal entry ${entry.kind} ${entry.reference} sums to ${sum}, not 0`))
  }
  return out
}

/** I3: per currency, all balances sum to zero. */
export function currenciesSumToZero(view: SimulationView): Violation[] {
  const sums = new Map<string, bigint>()
  for (const a of view.accounts) sums.set(a.currency, (sums.get(a.currency) ?? 0n) + a.value)
  return [...sums].filter(([, s]) => s !== 0n).map(([c, s]) => v('I3', `accounts in ${c} sum to ${s}, not 0`))
}

/** I4: no position's exposure exceeds its NDC or (where liquidity is checked) its participant's settlement funds. */
export function withinLimits(view: SimulationView): Violation[] {
  const out: Violation[] = []
  const settlement = new Map(view.accounts.filter((a) => a.type === 'SETTLEMENT').map((a) => [`${a.participant_id}:${a.currency}`, a]))
  for (const a of view.accounts) {
    if (a.type !== 'POSITION') continue
    const exposure = a.value + a.reserved
    const ndc = view.netDebitCaps.get(a.id)
    if (ndc !== undefined && exposure > ndc) out.push(v('I4', `account ${a.id}: position ${a.value} + reserved ${a.reserved} exceeds NDC ${ndc}`))
    const s = settlement.get(`${a.participant_id}:${a.currency}`)
    if (s && view.liquidityChecked(a.currency) && exposure > -(s.value + s.reserved)) {
      out.push(v('I4', `account ${a.id}: position ${a.value} + reserved ${a.reserved} exceeds liquidity cover ${-(s.value + s.reserved)}`))
    }
  }
  return out
}

/** I5: one effect per transfer id, exactly its amount, only with its fulfilment; a modified duplicate has none. */
export function oneEffectPerTransfer(view: SimulationView, expected: Expectations): Violation[] {
  const out: Violation[] = []
  const commits = new Map<string, (typeof view.journal)[number][]>()
  for (const e of view.journal) if (e.kind === 'TRANSFER_COMMIT') commits.set(e.reference, [...(commits.get(e.reference) ?? []), e])
  const ids = new Set<string>()
  for (const t of view.transfers) {
    ids.add(t.id)
    const entries = commits.get(t.id) ?? []
    if (t.state === 'COMMITTED' ? entries.length !== 1 : entries.length !== 0) out.push(v('I5', `transfer ${t.id} is ${t.state} with ${entries.length} commit entries`))
    const amount = toUnits(t.amount)
    for (const e of entries) {
      const moves = e.lines.length === 2 && e.lines.some((l) => l.accountId === t.payer_account_id && l.units === amount) && e.lines.some((l) => l.accountId === t.payee_account_id && l.units === -amount)
      if (!moves) out.push(v('I5', `transfer ${t.id} of ${amount} units: its commit entry does not move exactly that from payer to payee`))
    }
    if (t.state === 'COMMITTED' && (!t.fulfilment || conditionOf(t.fulfilment) !== t.ilp_condition)) out.push(v('I5', `transfer ${t.id} is COMMITTED without the fulfilment of its condition`))
    const first = expected.accepted.get(t.id)
    if (first && t.prepare_hash !== first.hash) out.push(v('I5', `transfer ${t.id} holds a modified duplicate's prepare (hash ${t.prepare_hash.slice(0, 8)}, first ${first.hash.slice(0, 8)})`))
  }
  for (const reference of commits.keys()) if (!ids.has(reference)) out.push(v('I5', `commit entry for unknown transfer ${reference}`))
  return out
}

/** I7: no group's committed bus offset is ahead of the offset its effects recorded. */
export function offsetsNotAhead(view: SimulationView): Violation[] {
  const out: Violation[] = []
  for (const [key, committed] of view.busCommittedOffsets) {
    const stored = view.storedOffsets.get(key) ?? 0n
    if (committed > stored) out.push(v('I7', `${key} committed ${committed} to the bus ahead of the store's ${stored}`))
  }
  return out
}

/** I8: states only move forward; the current state is the last one recorded. */
export function statesMoveForward(view: SimulationView): Violation[] {
  const out: Violation[] = []
  const last = new Map<string, TransferState>()
  for (const c of view.stateChanges) {
    const before = last.get(c.transfer_id)
    if (before === undefined ? c.state !== 'RECEIVED' : !canMove(before, c.state)) out.push(v('I8', `transfer ${c.transfer_id} moved ${before ?? 'nowhere'} → ${c.state}`))
    last.set(c.transfer_id, c.state)
  }
  for (const t of view.transfers) if (last.get(t.id) !== t.state) out.push(v('I8', `transfer ${t.id} is ${t.state} but its history ends in ${last.get(t.id)}`))
  return out
}

/** I1: every prepare answered 202 ended in exactly one final state. */
export function everyPrepareFinal(view: SimulationView, expected: Expectations): Violation[] {
  const byId = new Map(view.transfers.map((t) => [t.id, t]))
  const out: Violation[] = []
  for (const id of expected.accepted.keys()) {
    const t = byId.get(id)
    if (!t) out.push(v('I1', `transfer ${id} was answered 202 but the ledger never recorded it`))
    else if (!isFinal(t.state)) out.push(v('I1', `transfer ${id} is still ${t.state} after its expiration and the timeout scan`))
  }
  return out
}

/** I6: every party of every final transfer heard of it, or a dead letter to it says why not. */
export function partiesTold(view: SimulationView, expected: Expectations): Violation[] {
  const reserved = new Set(view.stateChanges.filter((c) => c.state === 'RESERVED').map((c) => c.transfer_id))
  const dead = new Set(view.deadLetters.filter((d) => d.reason.length > 0).map((d) => `${d.recipient}|${d.reference}`))
  const out: Violation[] = []
  for (const t of view.transfers) {
    if (!isFinal(t.state)) continue
    for (const party of partiesToTell(t, reserved.has(t.id))) {
      if (!expected.heard(party, t.id) && !dead.has(`${party}|${t.id}`)) out.push(v('I6', `${party} never heard that transfer ${t.id} is ${t.state}, and no dead letter says why`))
    }
  }
  return out
}

/** After every step. */
export function checkAlways(view: SimulationView, expected: Expectations): Violation[] {
  return [...positionsMatchJournal(view), ...currenciesSumToZero(view), ...withinLimits(view), ...oneEffectPerTransfer(view, expected), ...offsetsNotAhead(view), ...statesMoveForward(view)]
}

/** Once the run has drained. */
export function checkAtEnd(view: SimulationView, expected: Expectations): Violation[] {
  return [...checkAlways(view, expected), ...everyPrepareFinal(view, expected), ...partiesTold(view, expected)]
}
