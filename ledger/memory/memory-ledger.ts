// The ledger port in memory: the same tables as the MariaDB store, as Maps in a MemoryDatabase, for unit
// tests and the deterministic simulation. A unit of work runs alone (the database's mutex), so its
// "locks" are the mutex itself; a unit of work that throws is undone whole.
import type { ExpiredTransfer, JournalEntryInput, Ledger, LedgerTx, LockedAccount, TransferRow, TransferStateChange } from '../ledger-port.ts'
import { assertBalanced } from '../domain/journal-balance.ts'
import { toUnits } from '../domain/money.ts'
import { MemoryDatabase, type Clock } from './memory-database.ts'

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

/** The ledger's tables. */
export class MemoryLedgerTables {
  readonly participants
  readonly accounts
  readonly netDebitCaps
  readonly settlementModels
  readonly windows
  readonly transfers
  readonly stateChanges
  readonly journal
  readonly ids

  constructor(readonly db: MemoryDatabase) {
    this.participants = db.table<number, MemoryParticipant>()
    this.accounts = db.table<number, LockedAccount>()
    this.netDebitCaps = db.table<number, bigint>()
    this.settlementModels = db.table<string, MemorySettlementModel>()
    this.windows = db.table<string, MemorySettlementWindow>()
    this.transfers = db.table<string, TransferRow>()
    this.stateChanges = db.log<TransferStateChange & { created_at: Date }>()
    this.journal = db.table<string, MemoryJournalEntry>()
    this.ids = { participant: db.sequence(), account: db.sequence(), window: db.sequence(), entry: db.sequence() }
    // There is always exactly one OPEN window (the migration opens the first).
    db.setup(() => this.openWindow('initial window'))
  }

  openWindow(reason: string): string {
    const id = String(this.ids.window.next())
    this.windows.set(id, { id, state: 'OPEN', reason })
    return id
  }

  account(id: number): LockedAccount {
    const found = this.accounts.get(id)
    if (!found) throw new Error(`memory ledger: account ${id} does not exist`)
    return found
  }
}

const TRANSFER_UPDATE_COLUMNS = ['state', 'fulfil_hash', 'fulfilment', 'error_code', 'error_description', 'settlement_window_id', 'completed_at', 'payee_wants_patch'] as const

/** The ledger's side of a unit of work on the in-memory database (call inside db.transaction). */
export function memoryLedgerTx(t: MemoryLedgerTables): LedgerTx {
  const activePositionModels = () => t.settlementModels.values().filter((m) => m.isActive && m.ledgerAccountType === 'POSITION')
  const insertEntries = (entries: readonly JournalEntryInput[]): void => {
    for (const entry of entries) {
      assertBalanced(entry)
      const key = `${entry.kind}/${entry.reference}`
      if (t.journal.has(key)) throw duplicateKey(`journal entry ${key}`)
      const accounts = new Set<number>()
      for (const line of entry.lines) {
        t.account(line.accountId)
        if (accounts.has(line.accountId)) throw duplicateKey(`journal line ${key}/${line.accountId}`)
        accounts.add(line.accountId)
      }
      t.journal.set(key, {
        id: t.ids.entry.next(), kind: entry.kind, reference: entry.reference, currency: entry.currency, settlementWindowId: entry.settlementWindowId ?? null,
        createdBy: entry.createdBy, createdAt: t.db.clock(), lines: entry.lines.map((l) => ({ accountId: l.accountId, units: toUnits(l.amount) })),
      })
    }
  }
  return {
    async lockTransfers(ids) {
      const found = new Map<string, TransferRow>()
      for (const id of ids) {
        const row = t.transfers.get(id)
        if (row) found.set(id, row)
      }
      return found
    },
    async lockAccounts(ids) {
      const found = new Map<number, LockedAccount>()
      for (const id of [...new Set(ids)].sort((a, b) => a - b)) {
        const row = t.accounts.get(id)
        if (row) found.set(id, row)
      }
      return found
    },
    async netDebitCaps(accountIds) {
      const found = new Map<number, bigint>()
      for (const id of accountIds) {
        const cap = t.netDebitCaps.get(id)
        if (cap !== undefined) found.set(id, cap)
      }
      return found
    },
    async liquidityChecked(currencies) {
      const models = activePositionModels()
      const general = models.find((m) => m.currency === null)
      return new Map(currencies.map((c) => {
        const model = models.find((m) => m.currency === c) ?? general
        return [c, model ? model.requireLiquidityCheck : true]
      }))
    },
    async grossCurrencies(currencies) {
      const wanted = new Set(currencies)
      return new Set(activePositionModels().filter((m) => m.granularity === 'GROSS' && m.delay === 'IMMEDIATE' && m.currency !== null && wanted.has(m.currency)).map((m) => m.currency!))
    },
    async settlementAccountIds(pairs) {
      const names = new Set(pairs.map((p) => p.name))
      const currencies = new Set(pairs.map((p) => p.currency))
      const byId = new Map(t.participants.values().map((p) => [p.id, p.name]))
      const found = new Map<string, number>()
      for (const a of t.accounts.values()) {
        const name = byId.get(a.participant_id)
        if (a.type === 'SETTLEMENT' && name !== undefined && names.has(name) && currencies.has(a.currency)) found.set(`${name}:${a.currency}`, a.id)
      }
      return found
    },
    async lockOpenWindowId() {
      const open = t.windows.values().find((w) => w.state === 'OPEN')
      if (!open) throw new Error('ledger: no OPEN settlement window (there must always be one)')
      return open.id
    },
    async saveTransfers(rows) {
      for (const row of rows) {
        const existing = t.transfers.get(row.id)
        if (!existing) {
          t.transfers.set(row.id, { ...row, payee_wants_patch: Boolean(row.payee_wants_patch) })
          continue
        }
        const merged: TransferRow = { ...existing }
        for (const column of TRANSFER_UPDATE_COLUMNS) Object.assign(merged, { [column]: row[column] })
        merged.payee_wants_patch = Boolean(merged.payee_wants_patch)
        t.transfers.set(row.id, merged)
      }
    },
    async addStateChanges(changes) {
      if (changes.length > 0) t.stateChanges.append(...changes.map((c) => ({ ...c, created_at: t.db.clock() })))
    },
    async insertJournalRows(entries) {
      insertEntries(entries)
    },
    async writeAccounts(accounts) {
      for (const a of accounts) t.accounts.set(a.id, { ...t.account(a.id), value: a.value, reserved: a.reserved })
    },
    async postJournalEntries(entries) {
      for (const entry of entries) assertBalanced(entry)
      for (const line of entries.flatMap((e) => e.lines)) {
        const account = t.account(line.accountId)
        t.accounts.set(account.id, { ...account, value: account.value + toUnits(line.amount) })
      }
      insertEntries(entries)
    },
    async findTransfer(id) {
      return t.transfers.get(id)
    },
    async claimExpiredTransfers(limit) {
      const now = t.db.clock().getTime()
      return t.transfers.values()
        .filter((r) => r.state === 'RESERVED' && r.expiration.getTime() < now)
        .sort((a, b) => a.expiration.getTime() - b.expiration.getTime())
        .slice(0, limit)
        .map((r): ExpiredTransfer => ({ id: r.id, payer_account_id: r.payer_account_id }))
    },
  }
}

/** What MySQL's unique keys answer, with the same code, so callers can tell a duplicate from a bug. */
function duplicateKey(what: string): Error {
  return Object.assign(new Error(`memory ledger: duplicate ${what}`), { code: 'ER_DUP_ENTRY' })
}

/** A ledger alone on its own in-memory database; set-up through `tables` inside `db.transaction`. */
export interface MemoryLedger extends Ledger {
  readonly db: MemoryDatabase
  readonly tables: MemoryLedgerTables
}

export function createMemoryLedger(opts: { clock: Clock; db?: MemoryDatabase }): MemoryLedger {
  const db = opts.db ?? new MemoryDatabase(opts.clock)
  const tables = new MemoryLedgerTables(db)
  const tx = memoryLedgerTx(tables)
  return { db, tables, transaction: (work) => db.transaction(() => work(tx)) }
}
