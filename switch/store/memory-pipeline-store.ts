// The pipeline store in memory: the ledger's tables and the switch's (offsets, outbox, quotes, callback
// retries) in ONE MemoryDatabase, so a unit of work spans both and a throw undoes both. Deterministic:
// time comes from the database's clock. For unit tests and the simulation.
import { MemoryDatabase, type Clock } from '../../ledger/memory/memory-database.ts'
import { MemoryLedgerTables, memoryLedgerTx } from '../../ledger/memory/memory-ledger.ts'
import type { PipelineStore, PipelineTx, UnitOfWork } from './pipeline-store.ts'
import type { StoredOutboxMessage } from './outbox.ts'
import type { QuoteRow } from './quotes.ts'
import type { BulkQuoteRow, BulkTransferRow } from './bulk.ts'
import type { FxTransferRow } from './fx-transfers.ts'
import type { FxQuoteRow } from './fx-quotes.ts'
import { memoryCallbackRetries, memoryCallbackRetryTables, type MemoryCallbackRetryTables } from './memory-callback-retries.ts'

export interface MemoryOutboxRow extends StoredOutboxMessage {
  created_at: Date
  published_at: Date | null
}

/** The switch's own tables. */
export class MemoryPipelineTables {
  readonly offsets
  readonly outbox
  readonly outboxIds
  readonly quotes
  readonly bulkQuotes
  readonly fxQuotes
  readonly bulkTransfers
  readonly bulkItems
  readonly fxTransfers
  readonly callbacks: MemoryCallbackRetryTables

  constructor(readonly db: MemoryDatabase) {
    this.offsets = db.table<string, bigint>()
    this.outbox = db.table<bigint, MemoryOutboxRow>()
    this.outboxIds = db.sequence()
    this.quotes = db.table<string, QuoteRow & { changed_at: Date }>()
    this.bulkQuotes = db.table<string, BulkQuoteRow>()
    this.fxQuotes = db.table<string, FxQuoteRow>()
    this.bulkTransfers = db.table<string, BulkTransferRow>()
    this.bulkItems = db.table<string, string>()
    this.fxTransfers = db.table<string, FxTransferRow>()
    this.callbacks = memoryCallbackRetryTables(db)
  }
}

const offsetKey = (group: string, topic: string, partition: number) => JSON.stringify([group, topic, partition])

export function memoryPipelineTx(t: MemoryPipelineTables): PipelineTx {
  const publish = (ids: readonly string[]) => {
    for (const id of ids) {
      const row = t.outbox.get(BigInt(id))
      if (row) t.outbox.set(BigInt(id), { ...row, published_at: t.db.clock() })
    }
  }
  return {
    async lockNextOffset(group, topic, partition) {
      return t.offsets.get(offsetKey(group, topic, partition))
    },
    async storeNextOffset(group, topic, partition, next) {
      t.offsets.set(offsetKey(group, topic, partition), next)
    },
    async addToOutbox(messages) {
      return messages.map((m) => {
        const id = t.outboxIds.next()
        const row: MemoryOutboxRow = { ...m, id: String(id), created_at: t.db.clock(), published_at: null }
        t.outbox.set(id, row)
        return { topic: m.topic, key: m.key, payload: m.payload, id: String(id) }
      })
    },
    async claimStaleOutbox(age_ms, limit) {
      const before = t.db.clock().getTime() - age_ms
      return t.outbox.where((r) => r.published_at === null && r.created_at.getTime() < before)
        .sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1)).slice(0, limit)
        .map((r) => ({ id: r.id, topic: r.topic, key: r.key, payload: r.payload }))
    },
    async markPublished(ids) {
      publish(ids)
    },
    async lockQuotes(ids) {
      const found = new Map<string, QuoteRow>()
      for (const id of ids) {
        const q = t.quotes.get(id)
        if (q) found.set(id, q)
      }
      return found
    },
    async insertQuotes(rows) {
      for (const row of rows) {
        if (t.quotes.has(row.id)) throw Object.assign(new Error(`memory store: duplicate quote ${row.id}`), { code: 'ER_DUP_ENTRY' })
        t.quotes.set(row.id, { response_hash: null, response: null, ...row, changed_at: t.db.clock() })
      }
    },
    async answerQuotes(answers) {
      for (const a of answers) {
        const q = t.quotes.get(a.id)
        if (q) t.quotes.set(a.id, { ...q, state: a.state, response_hash: a.response_hash, response: a.response, changed_at: t.db.clock() })
      }
    },
    async lockBulkQuotes(ids) {
      return pick(ids, (id) => t.bulkQuotes.get(id))
    },
    async saveBulkQuotes(rows) {
      for (const row of rows) t.bulkQuotes.set(row.id, { ...row })
    },
    async lockFxQuotes(ids) {
      return pick(ids, (id) => t.fxQuotes.get(id))
    },
    async saveFxQuotes(rows) {
      for (const row of rows) t.fxQuotes.set(row.id, { ...row })
    },
    async lockBulkTransfers(ids) {
      return pick(ids, (id) => t.bulkTransfers.get(id))
    },
    async bulkIdsOfTransfers(ids) {
      return pick(ids, (id) => t.bulkItems.get(id))
    },
    async saveBulkTransfers(rows, items) {
      for (const row of rows) t.bulkTransfers.set(row.id, { ...row })
      for (const item of items) {
        if (t.bulkItems.has(item.transfer_id)) throw Object.assign(new Error(`memory store: duplicate bulk item ${item.transfer_id}`), { code: 'ER_DUP_ENTRY' })
        t.bulkItems.set(item.transfer_id, item.bulk_transfer_id)
      }
    },
    async fxTransfersById(ids) {
      return pick(ids, (id) => t.fxTransfers.get(id))
    },
    async fxTransfersByDetermining(ids) {
      const wanted = new Set(ids)
      return t.fxTransfers.where((r) => wanted.has(r.determining_transfer_id))
    },
    async saveFxTransfers(rows) {
      for (const row of rows) t.fxTransfers.set(row.commit_request_id, { ...row })
    },
  }
}

function pick<V>(ids: readonly string[], get: (id: string) => V | undefined): Map<string, V> {
  const found = new Map<string, V>()
  for (const id of ids) {
    const v = get(id)
    if (v !== undefined) found.set(id, v)
  }
  return found
}

export interface MemoryPipelineStore extends PipelineStore {
  readonly db: MemoryDatabase
  readonly ledger: MemoryLedgerTables
  readonly tables: MemoryPipelineTables
}

export function createMemoryPipelineStore(opts: { clock: Clock }): MemoryPipelineStore {
  const db = new MemoryDatabase(opts.clock)
  const ledger = new MemoryLedgerTables(db)
  const tables = new MemoryPipelineTables(db)
  const uow: UnitOfWork = { ledger: memoryLedgerTx(ledger), pipeline: memoryPipelineTx(tables) }
  const unitOfWork = <R>(work: (u: UnitOfWork) => Promise<R>) => db.transaction(() => work(uow))
  return {
    db, ledger, tables,
    batch: unitOfWork,
    transaction: unitOfWork,
    markPublished: (ids) => db.transaction(() => uow.pipeline.markPublished(ids)),
    deletePublishedOutbox: (age_ms, limit) => db.transaction(async () => {
      const before = db.clock().getTime() - age_ms
      const old = tables.outbox.where((r) => r.published_at !== null && r.published_at.getTime() < before).slice(0, limit)
      for (const r of old) tables.outbox.delete(BigInt(r.id))
    }),
    callbackRetries: memoryCallbackRetries(db, tables.callbacks),
  }
}
