// The ledger port: what the pipeline and the admin API ask of the ledger, with no knex in sight. A unit
// of work (LedgerTx) is one all-or-nothing transaction; its implementations are ledger/store/mysql-ledger.ts
// (MariaDB, through the existing store modules) and ledger/memory/memory-ledger.ts (Maps, for tests and the
// deterministic simulation). Both pass ledger/ledger.contract.ts.
//
// Money: account values and reservations as bigint units (ten-thousandths, ledger/domain/money.ts);
// transfer amounts and journal lines as decimal strings, exactly as the store keeps them.
import type { TransferState } from './domain/transfer-state.ts'
import type { Decimal } from './domain/money.ts'

/** A transfer as the ledger keeps it (the `transfer` table's columns). */
export interface TransferRow {
  id: string
  payer_fsp: string
  payee_fsp: string
  payer_account_id: number
  payee_account_id: number
  amount: string
  currency: string
  ilp_condition: string
  ilp_packet: string
  expiration: Date
  state: TransferState
  prepare_hash: string
  fulfil_hash: string | null
  fulfilment: string | null
  error_code: string | null
  error_description: string | null
  extension_list: string | null
  settlement_window_id: string | null
  completed_at: Date | null
  fspiop_version: string
  /** The payer's Accept version (null on transfers stored before it was kept). */
  payer_accept_version: string | null
  payee_wants_patch: boolean | number
}

export interface TransferStateChange {
  transfer_id: string
  state: TransferState
  reason: string | null
}

export interface LockedAccount {
  id: number
  participant_id: number
  currency: string
  type: string
  value: bigint
  reserved: bigint
}

export interface AccountBalance {
  id: number
  value: bigint
  reserved: bigint
}

export interface JournalLine {
  accountId: number
  /** Positive raises the account's value (debit), negative lowers it (credit). */
  amount: Decimal | string
}

export interface JournalEntryInput {
  kind: string
  reference: string
  currency: string
  lines: readonly JournalLine[]
  createdBy: string
  settlementWindowId?: string | null
}

/** A RESERVED transfer past its expiration, claimed by a timeout scan. */
export interface ExpiredTransfer {
  id: string
  payer_account_id: number
}

/**
 * The position batch's view of the ledger, inside one unit of work: load and lock what a batch touches,
 * decide in memory (ledger/domain/position-batch.ts), write one statement per table.
 */
export interface PositionLedgerTx {
  /** The transfers of these ids that exist, locked. */
  lockTransfers(ids: readonly string[]): Promise<Map<string, TransferRow>>
  /** The accounts, locked in id order, values as units. */
  lockAccounts(ids: Iterable<number>): Promise<Map<number, LockedAccount>>
  /** Net debit caps of position accounts, in units (an account without one is absent). */
  netDebitCaps(accountIds: readonly number[]): Promise<Map<number, bigint>>
  /** Whether prepares in each currency need liquidity cover (the settlement model says; default yes). */
  liquidityChecked(currencies: readonly string[]): Promise<Map<string, boolean>>
  /** Currencies whose settlement model is immediate gross. */
  grossCurrencies(currencies: readonly string[]): Promise<Set<string>>
  /** SETTLEMENT account ids keyed `${participantName}:${currency}`. */
  settlementAccountIds(pairs: readonly { name: string; currency: string }[]): Promise<Map<string, number>>
  /** The OPEN settlement window's id, held so that no close passes a commit in flight. */
  lockOpenWindowId(): Promise<string>
  /** Inserts new transfers and updates the changed columns of existing ones. */
  saveTransfers(rows: readonly TransferRow[]): Promise<void>
  addStateChanges(changes: readonly TransferStateChange[]): Promise<void>
  /** Entries and lines only: the caller has applied the lines to the accounts it writes itself. */
  insertJournalRows(entries: readonly JournalEntryInput[]): Promise<void>
  /** New values and reservations of locked accounts. */
  writeAccounts(accounts: Iterable<AccountBalance>): Promise<void>
}

export interface LedgerTx extends PositionLedgerTx {
  /** Balanced entries, applied to the accounts' values: the one way money moves outside a position batch. */
  postJournalEntries(entries: readonly JournalEntryInput[]): Promise<void>
  findTransfer(id: string): Promise<TransferRow | undefined>
  /** Up to `limit` RESERVED transfers past their expiration, oldest first, claimed (skipping those
   *  another unit of work holds). */
  claimExpiredTransfers(limit: number): Promise<ExpiredTransfer[]>
}

/** A ledger on its own (the admin API, tests): units of work of the ledger alone. */
export interface Ledger {
  transaction<R>(work: (tx: LedgerTx) => Promise<R>): Promise<R>
}
