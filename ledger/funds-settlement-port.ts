// The ledger port's admin side: funds in and out of a DFSP's settlement account, settlement windows and
// settlements, inside one unit of work (part of LedgerTx, ledger/ledger-port.ts). The rules are those of
// ledger/store/funds.ts and ledger/store/settlements.ts (central-ledger's reconciliation transfers and
// central-settlement's states); ledger/memory/ implements the same answers on Maps.
import type { Decimal } from './domain/money.ts'
import type { SettlementState } from './domain/settlement.ts'

/** The DFSP's SETTLEMENT account funds move through. */
export interface FundsAccount {
  id: number
  participantId: number
  currency: string
}

export type FundsProblem =
  | 'hub-account-missing'
  | 'insufficient-funds'
  | 'modified-request'
  | 'unknown-funds-transfer'
  | 'account-mismatch'

/** duplicate: nothing changed (a repeated request, or a completion of a funds out that is no longer RESERVED). */
export type FundsResult = { ok: true; duplicate: boolean } | { ok: false; problem: FundsProblem; message: string }

/** The hub's accounts on the other side of funds in and out, in one currency. */
export interface HubFundsAccounts {
  reconciliationId: number
  clearingId: number
}

export interface FundsRequest {
  transferId: string
  account: FundsAccount
  hub: HubFundsAccounts | undefined
  amount: Decimal
  reason: string | undefined
  extensionList: unknown
  requestHash: string
  actor: string
}

export interface FundsOutCompletion {
  transferId: string
  participantId: number
  accountId: number
  hub: HubFundsAccounts | undefined
  action: 'commit' | 'abort'
  reason: string | undefined
  actor: string
}

export type WindowProblem = 'unknown-window' | 'not-open'
export type WindowCloseResult = { ok: true; nextId: string } | { ok: false; problem: WindowProblem }

export type SettlementProblem = 'unknown-model' | 'unknown-window' | 'window-not-closed' | 'nothing-to-settle' | 'unknown-settlement' | 'unknown-account' | 'bad-transition' | 'hub-account-missing' | 'insufficient-funds' | 'final'
export type SettlementResult<T> = { ok: true; value: T } | { ok: false; problem: SettlementProblem; message: string }

export interface SettlementRequest {
  model: string
  windowIds: string[]
  reason: string
  actor: string
}

export interface AccountUpdate {
  participantId: number
  accountId: number
  state: SettlementState
  reason?: string
  externalReference?: string
}

/**
 * Funds, windows and settlements inside one unit of work. A refused funds request or window close writes
 * nothing; updateSettlement may have moved earlier accounts of a refused list, so a caller that gets
 * ok: false ends the unit of work by throwing (the admin routes do), which leaves nothing.
 */
export interface FundsSettlementTx {
  findHubFundsAccounts(hubName: string, currency: string): Promise<HubFundsAccounts | undefined>
  /** Settlement -X, hub reconciliation +X, at once (FUNDS_IN). */
  recordFundsIn(req: FundsRequest): Promise<FundsResult>
  /** Settlement +X against the hub's HUB_FUNDS_OUT_CLEARING; refused beyond the available balance. */
  reserveFundsOut(req: FundsRequest): Promise<FundsResult>
  /** Commit: clearing back, hub reconciliation -X. Abort: clearing back, settlement -X. */
  completeFundsOut(req: FundsOutCompletion): Promise<FundsResult>
  /** Closes the OPEN window and opens the next. */
  closeWindow(id: string, reason: string): Promise<WindowCloseResult>
  /** The OPEN window's id if it opened at least `interval_ms` ago (the scheduled close's claim). */
  openWindowDueForClose(interval_ms: number): Promise<string | undefined>
  /** A settlement over closed windows with each DFSP's net per currency; claims the windows' currencies. */
  createSettlement(req: SettlementRequest): Promise<SettlementResult<string>>
  /** Moves the named accounts a state on (journal steps, positions reset) and recomputes the settlement's state. */
  updateSettlement(id: string, updates: AccountUpdate[], actor: string): Promise<SettlementResult<SettlementState>>
  /** Aborts every account (undoing reserved payers' resets) and gives the windows back. */
  abortSettlement(id: string, reason: string, actor: string): Promise<SettlementResult<SettlementState>>
}

/** A participant as the admin routes check it. */
export interface AdminParticipant {
  id: number
  name: string
}

/** An account as the admin routes check it before funds move through it. */
export interface AdminAccount {
  id: number
  participantId: number
  currency: string
  type: string
  isActive: boolean
}

/** An operator's action, appended to the audit chain in the unit of work of the change it records. */
export interface AuditRecord {
  actor: string
  action: string
  target?: string
  detail?: unknown
}

/** What the admin routes read and record beside funds and settlements, in the same unit of work. */
export interface AdminLedgerTx {
  findParticipant(name: string): Promise<AdminParticipant | undefined>
  findAccount(id: number): Promise<AdminAccount | undefined>
  recordAudit(record: AuditRecord): Promise<void>
}
