// The in-memory ledger's tables: the MariaDB store's tables as Maps and logs of one MemoryDatabase.
import type { LockedAccount, TransferRow, TransferStateChange } from '../ledger-port.ts'
import type { SettlementState } from '../domain/settlement.ts'
import type { ChainHead, ChainRow } from '../domain/audit-chain.ts'
import type { MemoryDatabase } from './memory-database.ts'

export interface MemoryParticipant {
  id: number
  name: string
  isHub: boolean
}

export interface MemorySettlementModel {
  name: string
  currency: string | null
  granularity: 'GROSS' | 'NET'
  delay: 'IMMEDIATE' | 'DEFERRED'
  requireLiquidityCheck: boolean
  ledgerAccountType: string
  isActive: boolean
}

export interface MemorySettlementWindow {
  id: string
  state: string
  reason: string | null
  createdAt: Date
  changedAt: Date
}

export interface MemoryJournalEntry {
  id: bigint
  kind: string
  reference: string
  currency: string
  settlementWindowId: string | null
  createdBy: string
  createdAt: Date
  lines: { accountId: number; units: bigint }[]
}

/** A funds in or out (the funds_movement table). */
export interface MemoryFundsMovement {
  id: string
  participantId: number
  accountId: number
  direction: 'IN' | 'OUT'
  units: bigint
  currency: string
  state: 'RESERVED' | 'COMMITTED' | 'ABORTED'
  reason: string | null
  requestHash: string
  extensionList: string | null
  createdBy: string
  createdAt: Date
  completedAt: Date | null
}

export interface MemorySettlement {
  id: string
  model: string
  state: SettlementState
  reason: string
  createdBy: string
  createdAt: Date
  changedAt: Date
}

export interface MemorySettlementAccount {
  settlementId: string
  accountId: number
  participantId: number
  currency: string
  netUnits: bigint
  state: SettlementState
  reason: string | null
  externalReference: string | null
  changedAt: Date
}

/** A window's currency claimed by one settlement (settlement_window_content). */
export interface MemoryWindowContent {
  windowId: string
  currency: string
  settlementId: string
}

export interface MemoryStateChange {
  id: string
  accountId?: number
  state: string
  reason: string | null
  changedBy?: string
  createdAt: Date
}

/** The ledger's tables. */
export class MemoryLedgerTables {
  readonly participants
  readonly accounts
  readonly netDebitCaps
  readonly settlementModels
  readonly windows
  readonly windowStateChanges
  readonly transfers
  readonly stateChanges
  readonly journal
  readonly fundsMovements
  readonly settlements
  /** Keyed `${settlementId}:${accountId}`. */
  readonly settlementAccounts
  readonly settlementStateChanges
  /** Keyed `${windowId}:${currency}`. */
  readonly windowContent
  /** Keyed `${settlementId}:${windowId}`. */
  readonly windowLinks
  /** Accounts set inactive (an account is active unless here). */
  readonly inactiveAccounts
  readonly audit
  /** The audit chain's head, under the one key HEAD. */
  readonly auditHead
  readonly ids

  constructor(readonly db: MemoryDatabase) {
    this.participants = db.table<number, MemoryParticipant>()
    this.accounts = db.table<number, LockedAccount>()
    this.netDebitCaps = db.table<number, bigint>()
    this.settlementModels = db.table<string, MemorySettlementModel>()
    this.windows = db.table<string, MemorySettlementWindow>()
    this.windowStateChanges = db.log<MemoryStateChange>()
    this.transfers = db.table<string, TransferRow>()
    this.stateChanges = db.log<TransferStateChange & { created_at: Date }>()
    this.journal = db.table<string, MemoryJournalEntry>()
    this.fundsMovements = db.table<string, MemoryFundsMovement>()
    this.settlements = db.table<string, MemorySettlement>()
    this.settlementAccounts = db.table<string, MemorySettlementAccount>()
    this.settlementStateChanges = db.log<MemoryStateChange>()
    this.windowContent = db.table<string, MemoryWindowContent>()
    this.windowLinks = db.table<string, { settlementId: string; windowId: string }>()
    this.inactiveAccounts = db.table<number, true>()
    this.audit = db.log<ChainRow>()
    this.auditHead = db.table<'HEAD', ChainHead>()
    this.ids = { participant: db.sequence(), account: db.sequence(), window: db.sequence(), entry: db.sequence(), settlement: db.sequence(), audit: db.sequence() }
    // There is always exactly one OPEN window (the migration opens the first).
    db.setup(() => this.openWindow('initial window'))
  }

  openWindow(reason: string): string {
    const id = String(this.ids.window.next())
    const now = this.db.clock()
    this.windows.set(id, { id, state: 'OPEN', reason, createdAt: now, changedAt: now })
    this.windowStateChanges.append({ id, state: 'OPEN', reason, createdAt: now })
    return id
  }

  account(id: number): LockedAccount {
    const found = this.accounts.get(id)
    if (!found) throw new Error(`memory ledger: account ${id} does not exist`)
    return found
  }

  /** The account of this participant, currency and type, if it has one. */
  findAccount(participantId: number, currency: string, type: string): LockedAccount | undefined {
    return this.accounts.first((a) => a.participant_id === participantId && a.currency === currency && a.type === type)
  }
}
