// The ledger port in memory: the same tables as the MariaDB store, as Maps in a MemoryDatabase, for unit
// tests and the deterministic simulation. A unit of work runs alone (the database's mutex), so its
// "locks" are the mutex itself; a unit of work that throws is undone whole.
import type { ExpiredTransfer, Ledger, LedgerTx, LockedAccount, TransferRow } from '../ledger-port.ts'
import { MemoryDatabase, type Clock } from './memory-database.ts'
import { MemoryLedgerTables } from './memory-tables.ts'
import { insertEntries, postEntries } from './memory-journal.ts'
import { memoryFundsTx } from './memory-funds.ts'
import { memorySettlementsTx } from './memory-settlements.ts'
import { memoryAdminTx } from './memory-admin.ts'

export { MemoryLedgerTables } from './memory-tables.ts'
export type { MemoryJournalEntry, MemoryParticipant, MemorySettlementModel, MemorySettlementWindow } from './memory-tables.ts'

const TRANSFER_UPDATE_COLUMNS = ['state', 'fulfil_hash', 'fulfilment', 'error_code', 'error_description', 'settlement_window_id', 'completed_at', 'payee_wants_patch'] as const

/** The ledger's side of a unit of work on the in-memory database (call inside db.transaction). */
export function memoryLedgerTx(t: MemoryLedgerTables): LedgerTx {
  const activePositionModels = () => t.settlementModels.where((m) => m.isActive && m.ledgerAccountType === 'POSITION')
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
      const open = t.windows.first((w) => w.state === 'OPEN')
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
      insertEntries(t, entries)
    },
    async writeAccounts(accounts) {
      for (const a of accounts) t.accounts.set(a.id, { ...t.account(a.id), value: a.value, reserved: a.reserved })
    },
    async postJournalEntries(entries) {
      postEntries(t, entries)
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
    ...memoryFundsTx(t),
    ...memorySettlementsTx(t),
    ...memoryAdminTx(t),
  }
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
