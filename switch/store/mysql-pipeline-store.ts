// The pipeline store on MariaDB: one knex transaction binds the ledger's MySQL unit of work and the
// switch's offsets, outbox and quotes SQL.
import type { Knex } from 'knex'
import type { Db } from '../../ledger/store/db.ts'
import { mysqlLedgerTx, readCommittedTransaction } from '../../ledger/store/mysql-ledger.ts'
import type { PipelineStore, PipelineTx, UnitOfWork } from './pipeline-store.ts'
import { lockNextOffset, storeNextOffset } from './offsets.ts'
import { addToOutbox, claimStale, deletePublished, markPublished } from './outbox.ts'
import { answerQuotes, insertQuotes, lockQuotes } from './quotes.ts'
import { bulkIdsOfTransfers, lockBulkQuotes, lockBulkTransfers, saveBulkQuotes, saveBulkTransfers } from './bulk.ts'
import { lockFxQuotes, saveFxQuotes } from './fx-quotes.ts'
import { mysqlCallbackRetries } from './callback-retries.ts'
import { fxTransfersByDetermining, fxTransfersById, saveFxTransfers } from './fx-transfers.ts'

export function mysqlPipelineTx(trx: Knex.Transaction): PipelineTx {
  return {
    lockNextOffset: (group, topic, partition) => lockNextOffset(trx, group, topic, partition),
    storeNextOffset: (group, topic, partition, next) => storeNextOffset(trx, group, topic, partition, next),
    addToOutbox: (messages) => addToOutbox(trx, messages),
    claimStaleOutbox: (age_ms, limit) => claimStale(trx, age_ms, limit),
    markPublished: (ids) => markPublished(trx, ids),
    lockQuotes: (ids) => lockQuotes(trx, ids),
    insertQuotes: (rows) => insertQuotes(trx, rows),
    answerQuotes: (answers) => answerQuotes(trx, answers),
    lockBulkQuotes: (ids) => lockBulkQuotes(trx, ids),
    saveBulkQuotes: (rows) => saveBulkQuotes(trx, rows),
    lockFxQuotes: (ids) => lockFxQuotes(trx, ids),
    saveFxQuotes: (rows) => saveFxQuotes(trx, rows),
    lockBulkTransfers: (ids) => lockBulkTransfers(trx, ids),
    bulkIdsOfTransfers: (ids) => bulkIdsOfTransfers(trx, ids),
    saveBulkTransfers: (rows, items) => saveBulkTransfers(trx, rows, items),
    fxTransfersById: (ids) => fxTransfersById(trx, ids),
    fxTransfersByDetermining: (ids) => fxTransfersByDetermining(trx, ids),
    saveFxTransfers: (rows) => saveFxTransfers(trx, rows),
  }
}

/** Both sides of one knex transaction. */
export function mysqlUnitOfWork(trx: Knex.Transaction): UnitOfWork {
  return { ledger: mysqlLedgerTx(trx), pipeline: mysqlPipelineTx(trx) }
}

export function createMySqlPipelineStore(db: Db): PipelineStore {
  return {
    batch: (work) => readCommittedTransaction(db, (trx) => work(mysqlUnitOfWork(trx))),
    transaction: (work) => db.transaction((trx) => work(mysqlUnitOfWork(trx))),
    markPublished: (ids) => markPublished(db, ids),
    deletePublishedOutbox: (age_ms, limit) => deletePublished(db, age_ms, limit),
    callbackRetries: mysqlCallbackRetries(db),
  }
}
