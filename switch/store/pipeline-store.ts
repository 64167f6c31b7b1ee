// The switch's store port: a unit of work over the ledger and the switch's own tables (consumed offsets,
// outbox, quotes) in ONE transaction, so a batch's effects, the offsets it consumed and the messages it
// causes are committed together or not at all (I7). Implementations: mysql-pipeline-store.ts (one knex
// transaction for both) and memory-pipeline-store.ts (one in-memory database for both). Handlers see
// only this, never the SQL client.
import type { LedgerTx } from '../../ledger/ledger-port.ts'
import type { OutboxMessage, StoredOutboxMessage } from './outbox.ts'
import type { QuoteAnswer, QuoteRow } from './quotes.ts'
import type { BulkQuoteRow, BulkTransferRow } from './bulk.ts'
import type { FxQuoteRow } from './fx-quotes.ts'
import type { CallbackRetryStore } from './callback-retry-store.ts'
import type { FxTransferRow } from './fx-transfers.ts'

export interface PipelineTx {
  /** The partition's stored next offset, locked (undefined: nothing consumed yet). */
  lockNextOffset(group: string, topic: string, partition: number): Promise<bigint | undefined>
  storeNextOffset(group: string, topic: string, partition: number, next: bigint): Promise<void>
  /** Rows to publish after commit, with the ids they got (in order). */
  addToOutbox(messages: readonly OutboxMessage[]): Promise<StoredOutboxMessage[]>
  /** Rows left unpublished for longer than the age (a process died between commit and publish), claimed. */
  claimStaleOutbox(age_ms: number, limit: number): Promise<StoredOutboxMessage[]>
  markPublished(ids: readonly string[]): Promise<void>
  /** The quotes of these ids that exist, locked. */
  lockQuotes(ids: readonly string[]): Promise<Map<string, QuoteRow>>
  insertQuotes(rows: readonly QuoteRow[]): Promise<void>
  /** The payee's answers: state, response hash and response of each, in one statement. */
  answerQuotes(answers: readonly QuoteAnswer[]): Promise<void>
  /** The bulk quotes of these ids that exist, locked. */
  lockBulkQuotes(ids: readonly string[]): Promise<Map<string, BulkQuoteRow>>
  /** Inserts new bulk quotes, updates the state and answer of existing ones. */
  saveBulkQuotes(rows: readonly BulkQuoteRow[]): Promise<void>
  /** The FX quotes (conversion requests) of these ids that exist, locked. */
  lockFxQuotes(ids: readonly string[]): Promise<Map<string, FxQuoteRow>>
  /** Inserts new FX quotes, updates the state and answer of existing ones. */
  saveFxQuotes(rows: readonly FxQuoteRow[]): Promise<void>
  /** The bulk transfers of these ids that exist, locked. */
  lockBulkTransfers(ids: readonly string[]): Promise<Map<string, BulkTransferRow>>
  /** The bulk transfer each of these transfers is an item of. */
  bulkIdsOfTransfers(transferIds: readonly string[]): Promise<Map<string, string>>
  /** Inserts new bulk transfers (and their items), updates the state, answer hash and result of existing ones. */
  saveBulkTransfers(rows: readonly BulkTransferRow[], items: readonly { transfer_id: string; bulk_transfer_id: string }[]): Promise<void>
  /** The currency conversions of these commit request ids that exist (written only by the consumer that owns them). */
  fxTransfersById(ids: readonly string[]): Promise<Map<string, FxTransferRow>>
  /** The conversions naming these transfers as their determining transfer. */
  fxTransfersByDetermining(transferIds: readonly string[]): Promise<FxTransferRow[]>
  /** Inserts new conversions, updates the dependent link and FXP version of existing ones. */
  saveFxTransfers(rows: readonly FxTransferRow[]): Promise<void>
}

export interface UnitOfWork {
  ledger: LedgerTx
  pipeline: PipelineTx
}

export interface PipelineStore {
  /** A pipeline batch's unit of work (on MySQL: READ COMMITTED; deadlocks are the caller's to retry). */
  batch<R>(work: (uow: UnitOfWork) => Promise<R>): Promise<R>
  /** A unit of work at the database's default isolation (claims of the outbox relay and the timeout scan). */
  transaction<R>(work: (uow: UnitOfWork) => Promise<R>): Promise<R>
  /** Marks outbox rows published, on its own. */
  markPublished(ids: readonly string[]): Promise<void>
  /** Deletes up to `limit` outbox rows published longer ago than `age_ms`. */
  deletePublishedOutbox(age_ms: number, limit: number): Promise<void>
  callbackRetries: CallbackRetryStore
}
