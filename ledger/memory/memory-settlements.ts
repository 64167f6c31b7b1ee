// Settlement windows and settlements on the in-memory ledger, answering as
// ledger/store/settlement-windows-admin.ts and ledger/store/settlements.ts do: nets per POSITION account
// from the windows' commits, each window currency claimed by one settlement, each account step a balanced
// entry from ledger/domain/settlement.ts (positions reset, funds moved), a payer's funds held from RESERVED.
import type { JournalEntryInput } from '../ledger-port.ts'
import type { AccountUpdate, FundsSettlementTx, SettlementProblem, SettlementResult } from '../funds-settlement-port.ts'
import { canAdvance, settlementStateOf, stepEntries, type SettlementState } from '../domain/settlement.ts'
import { fromUnits } from '../domain/money.ts'
import { postEntries } from './memory-journal.ts'
import type { MemoryLedgerTables, MemorySettlementAccount } from './memory-tables.ts'

type SettlementsTx = Pick<FundsSettlementTx, 'closeWindow' | 'openWindowDueForClose' | 'createSettlement' | 'updateSettlement' | 'abortSettlement'>

/** Window states a settlement can take (a PENDING_SETTLEMENT window may still hold unclaimed currencies). */
const SETTLEABLE_WINDOW_STATES = ['CLOSED', 'ABORTED', 'PENDING_SETTLEMENT']
/** Journal kinds whose POSITION lines a window's nets are made of. */
const SETTLING_KINDS = new Set(['TRANSFER_COMMIT', 'GROSS_SETTLEMENT'])

const fail = <T>(problem: SettlementProblem, message: string): SettlementResult<T> => ({ ok: false, problem, message })

export function memorySettlementsTx(t: MemoryLedgerTables): SettlementsTx {
  const settlingEntries = (windowIds: readonly string[]) => {
    const wanted = new Set(windowIds)
    return t.journal.where((e) => e.settlementWindowId !== null && wanted.has(e.settlementWindowId) && SETTLING_KINDS.has(e.kind))
  }

  /** Net position change per POSITION account in the windows (positive: the DFSP owes), by account id. */
  const windowNets = (windowIds: readonly string[]) => {
    const nets = new Map<number, bigint>()
    for (const entry of settlingEntries(windowIds)) {
      for (const line of entry.lines) {
        if (t.account(line.accountId).type === 'POSITION') nets.set(line.accountId, (nets.get(line.accountId) ?? 0n) + line.units)
      }
    }
    return [...nets].filter(([, net]) => net !== 0n).sort(([a], [b]) => a - b).map(([accountId, net]) => {
      const account = t.account(accountId)
      return { accountId, participantId: account.participant_id, currency: account.currency, net }
    })
  }

  const windowCurrencies = (windowIds: readonly string[]) => {
    const found = new Map<string, { windowId: string; currency: string }>()
    for (const e of settlingEntries(windowIds)) found.set(`${e.settlementWindowId}:${e.currency}`, { windowId: e.settlementWindowId!, currency: e.currency })
    return [...found.values()]
  }

  const moveWindows = (windowIds: readonly string[], state: string, reason: string) => {
    const now = t.db.clock()
    for (const id of windowIds) {
      const w = t.windows.get(id)!
      t.windows.set(id, { ...w, state, changedAt: now, ...(state === 'ABORTED' ? { reason } : {}) })
      t.windowStateChanges.append({ id, state, reason, createdAt: now })
    }
  }

  const linkedWindows = (settlementId: string) => t.windowLinks.where((l) => l.settlementId === settlementId).map((l) => l.windowId)
  const accountsOf = (settlementId: string) => t.settlementAccounts.where((a) => a.settlementId === settlementId)

  const moveSettlement = (id: string, state: SettlementState, actor: string) => {
    const now = t.db.clock()
    t.settlements.set(id, { ...t.settlements.get(id)!, state, changedAt: now })
    t.settlementStateChanges.append({ id, state, reason: null, changedBy: actor, createdAt: now })
    if (state !== 'SETTLED') return
    // A window is SETTLED once every currency it holds is in a SETTLED settlement.
    const windowIds = linkedWindows(id)
    const done = new Set(t.windowContent.where((c) => windowIds.includes(c.windowId) && t.settlements.get(c.settlementId)?.state === 'SETTLED').map((c) => `${c.windowId}:${c.currency}`))
    const open = new Set(windowIds.filter((w) => windowNets([w]).some((n) => !done.has(`${w}:${n.currency}`))))
    moveWindows(windowIds.filter((w) => !open.has(w)), 'SETTLED', `settlement ${id}`)
  }

  const holdFunds = (accountId: number, units: bigint) => {
    const account = t.account(accountId)
    t.accounts.set(accountId, { ...account, reserved: account.reserved + units })
  }

  const stepJournal = (settlementId: string, account: MemorySettlementAccount, to: SettlementState, actor: string): SettlementResult<JournalEntryInput[]> => {
    const net = account.netUnits
    if (net === 0n) return { ok: true, value: [] }
    const settlement = t.findAccount(account.participantId, account.currency, 'SETTLEMENT')
    const hubIds = new Set(t.participants.where((p) => p.isHub).map((p) => p.id))
    const hub = t.accounts.first((a) => hubIds.has(a.participant_id) && a.currency === account.currency && a.type === 'HUB_MULTILATERAL_SETTLEMENT')
    if (!settlement || !hub) return fail('hub-account-missing', `no SETTLEMENT or hub HUB_MULTILATERAL_SETTLEMENT account in ${account.currency}`)
    if (net > 0n && to === 'PS_TRANSFERS_RESERVED') {
      const available = -settlement.value - settlement.reserved
      if (available < net) return fail('insufficient-funds', `participant ${account.participantId} has ${fromUnits(available).toFixed()} ${account.currency} to settle ${fromUnits(net).toFixed()}`)
      holdFunds(settlement.id, net)
    }
    if (net > 0n && account.state === 'PS_TRANSFERS_RESERVED' && (to === 'PS_TRANSFERS_COMMITTED' || to === 'ABORTED')) holdFunds(settlement.id, -net)
    const accounts = { position: account.accountId, settlement: settlement.id, hubMultilateral: hub.id }
    // An abort after RESERVED gives the payer its position back.
    const steps = to === 'ABORTED'
      ? account.state === 'PS_TRANSFERS_RESERVED'
        ? stepEntries('PS_TRANSFERS_RESERVED', net, accounts).map((s) => ({ kind: 'SETTLEMENT_ABORT', lines: s.lines.map((l) => ({ ...l, amount: -l.amount })) }))
        : []
      : stepEntries(to, net, accounts)
    return {
      ok: true,
      value: steps.map((s) => ({
        kind: s.kind, reference: `${settlementId}:${account.accountId}`, currency: account.currency, createdBy: actor,
        lines: s.lines.map((l) => ({ accountId: l.accountId, amount: fromUnits(l.amount) })),
      })),
    }
  }

  async function updateSettlement(id: string, updates: AccountUpdate[], actor: string): Promise<SettlementResult<SettlementState>> {
    const settlement = t.settlements.get(id)
    if (!settlement) return fail('unknown-settlement', `settlement ${id} does not exist`)
    if (settlement.state === 'SETTLED' || settlement.state === 'ABORTED') return fail('final', `settlement ${id} is already ${settlement.state}`)
    const accounts = accountsOf(id)
    const entries: JournalEntryInput[] = []
    for (const u of updates) {
      const account = accounts.find((a) => a.accountId === u.accountId && a.participantId === u.participantId)
      if (!account) return fail('unknown-account', `participant ${u.participantId} has no account ${u.accountId} in settlement ${id}`)
      if (!canAdvance(account.state, u.state)) return fail('bad-transition', `account ${u.accountId} cannot move from ${account.state} to ${u.state}`)
      const step = stepJournal(id, account, u.state, actor)
      if (!step.ok) return step
      entries.push(...step.value)
      const now = t.db.clock()
      Object.assign(account, { state: u.state, reason: u.reason ?? account.reason, externalReference: u.externalReference ?? account.externalReference, changedAt: now })
      t.settlementAccounts.set(`${id}:${account.accountId}`, account)
      t.settlementStateChanges.append({ id, accountId: u.accountId, state: u.state, reason: u.reason ?? null, changedBy: actor, createdAt: now })
    }
    postEntries(t, entries)
    const state = settlementStateOf(accounts.map((a) => a.state))
    if (state !== settlement.state) moveSettlement(id, state, actor)
    return { ok: true, value: state }
  }

  return {
    async closeWindow(id, reason) {
      const window = t.windows.get(id)
      if (!window) return { ok: false, problem: 'unknown-window' }
      if (window.state !== 'OPEN') return { ok: false, problem: 'not-open' }
      const now = t.db.clock()
      t.windows.set(id, { ...window, state: 'CLOSED', reason, changedAt: now })
      t.windowStateChanges.append({ id, state: 'CLOSED', reason, createdAt: now })
      return { ok: true, nextId: t.openWindow(`opened when window ${id} closed`) }
    },
    async openWindowDueForClose(interval_ms) {
      const due = t.db.clock().getTime() - interval_ms
      return t.windows.first((w) => w.state === 'OPEN' && w.createdAt.getTime() <= due)?.id
    },
    async createSettlement(req) {
      const windowIds = [...new Set(req.windowIds.map(String))] // a window named twice is settled once
      const model = t.settlementModels.get(req.model)
      if (!model) return fail('unknown-model', `settlement model ${req.model} does not exist`)
      const windows = windowIds.map((id) => t.windows.get(id))
      for (const [i, w] of windows.entries()) {
        if (!w) return fail('unknown-window', `settlement window ${windowIds[i]} does not exist`)
        if (!SETTLEABLE_WINDOW_STATES.includes(w.state)) return fail('window-not-closed', `settlement window ${w.id} is ${w.state}; only CLOSED windows are settled`)
      }
      const nets = windowNets(windowIds).filter((n) => !model.currency || n.currency === model.currency)
      if (nets.length === 0) return fail('nothing-to-settle', `the windows hold no committed transfers${model.currency ? ` in ${model.currency}` : ''}: nothing to settle`)
      const content = windowCurrencies(windowIds).filter((c) => nets.some((n) => n.currency === c.currency))
      const currencies = new Set(content.map((c) => c.currency))
      const claimed = t.windowContent.first((c) => windowIds.includes(c.windowId) && currencies.has(c.currency))
      if (claimed) return fail('window-not-closed', `settlement window ${claimed.windowId} is already settled in ${claimed.currency} by settlement ${claimed.settlementId}`)
      const id = String(t.ids.settlement.next())
      const now = t.db.clock()
      t.settlements.set(id, { id, model: model.name, state: 'PENDING_SETTLEMENT', reason: req.reason, createdBy: req.actor, createdAt: now, changedAt: now })
      for (const c of content) t.windowContent.set(`${c.windowId}:${c.currency}`, { ...c, settlementId: id })
      for (const w of windowIds) t.windowLinks.set(`${id}:${w}`, { settlementId: id, windowId: w })
      moveWindows(windows.filter((w) => w!.state !== 'PENDING_SETTLEMENT').map((w) => w!.id), 'PENDING_SETTLEMENT', `settlement ${id}`)
      for (const n of nets) {
        t.settlementAccounts.set(`${id}:${n.accountId}`, {
          settlementId: id, accountId: n.accountId, participantId: n.participantId, currency: n.currency, netUnits: n.net,
          state: 'PENDING_SETTLEMENT', reason: null, externalReference: null, changedAt: now,
        })
      }
      t.settlementStateChanges.append({ id, state: 'PENDING_SETTLEMENT', reason: req.reason, changedBy: req.actor, createdAt: now })
      return { ok: true, value: id }
    },
    updateSettlement,
    async abortSettlement(id, reason, actor) {
      const accounts = accountsOf(id)
      if (accounts.some((a) => !canAdvance(a.state, 'ABORTED'))) return fail('bad-transition', `settlement ${id} has committed accounts and can no longer be aborted`)
      const result = await updateSettlement(id, accounts.map((a) => ({ participantId: a.participantId, accountId: a.accountId, state: 'ABORTED' as const, reason })), actor)
      if (!result.ok) return result
      // The windows give back what this settlement claimed; one whose other currencies are claimed elsewhere
      // stays PENDING_SETTLEMENT, the others can be settled again.
      const windowIds = linkedWindows(id)
      for (const c of t.windowContent.where((c) => c.settlementId === id)) t.windowContent.delete(`${c.windowId}:${c.currency}`)
      for (const w of windowIds) t.windowLinks.delete(`${id}:${w}`)
      const stillClaimed = new Set(t.windowContent.where((c) => windowIds.includes(c.windowId)).map((c) => c.windowId))
      moveWindows(windowIds.filter((w) => !stillClaimed.has(w)), 'ABORTED', reason)
      return result
    },
  }
}
