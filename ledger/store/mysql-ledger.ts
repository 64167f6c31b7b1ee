// The ledger port on MariaDB: the store modules' SQL, bound to one knex transaction. Batching and
// locking are theirs (one multi-row statement per table per batch, accounts locked once in id order).
import type { Knex } from 'knex'
import type { Ledger, LedgerTx } from '../ledger-port.ts'
import type { Db } from './db.ts'
import {
  addStateChanges, claimExpiredTransfers, findTransfer, grossCurrencies, liquidityChecked, lockAccounts, lockTransfers,
  netDebitCaps, saveTransfers, settlementAccountIds, writeAccounts,
} from './transfers.ts'
import { insertJournalRows, postJournalEntries } from './journal.ts'
import { lockOpenWindowId } from './settlement-windows.ts'

/** The ledger's side of a knex transaction (which may also carry the switch's tables). */
export function mysqlLedgerTx(trx: Knex.Transaction): LedgerTx {
  return {
    lockTransfers: (ids) => lockTransfers(trx, ids),
    lockAccounts: (ids) => lockAccounts(trx, ids),
    netDebitCaps: (ids) => netDebitCaps(trx, ids),
    liquidityChecked: (currencies) => liquidityChecked(trx, currencies),
    grossCurrencies: (currencies) => grossCurrencies(trx, currencies),
    settlementAccountIds: (pairs) => settlementAccountIds(trx, pairs),
    lockOpenWindowId: () => lockOpenWindowId(trx),
    saveTransfers: (rows) => saveTransfers(trx, rows),
    addStateChanges: (changes) => addStateChanges(trx, changes),
    insertJournalRows: (entries) => insertJournalRows(trx, entries),
    writeAccounts: (accounts) => writeAccounts(trx, accounts),
    postJournalEntries: (entries) => postJournalEntries(trx, entries),
    findTransfer: (id) => findTransfer(trx, id),
    claimExpiredTransfers: (limit) => claimExpiredTransfers(trx, limit),
  }
}

/**
 * A unit of work's transaction, READ COMMITTED: its locking reads of transfers that do not exist yet take
 * no gap locks, so transactions of different processes inserting transfers at once do not deadlock.
 */
export function readCommittedTransaction<R>(db: Db, work: (trx: Knex.Transaction) => Promise<R>): Promise<R> {
  return db.transaction(work, { isolationLevel: 'read committed' })
}

export function createMySqlLedger(db: Db): Ledger {
  return { transaction: (work) => readCommittedTransaction(db, (trx) => work(mysqlLedgerTx(trx))) }
}
