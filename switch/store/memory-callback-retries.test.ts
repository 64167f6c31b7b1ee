// The callback retry contract in memory.
import { MemoryDatabase } from '../../ledger/memory/memory-database.ts'
import { runCallbackRetryContract } from './callback-retries.contract.ts'
import { memoryCallbackRetries, memoryCallbackRetryTables } from './memory-callback-retries.ts'

runCallbackRetryContract('in memory', async () => {
  const db = new MemoryDatabase(() => new Date('2026-12-01T12:00:00Z'))
  const tables = memoryCallbackRetryTables(db)
  return {
    store: memoryCallbackRetries(db, tables),
    deadLetter: async (reference) => tables.deadLetters.values().find((d) => d.reference === reference),
    waiting: async () => tables.retries.values().map((r) => ({ id: String(r.id), recipient: r.recipient, reference: r.reference ?? '', attempts: r.attempts })),
    clear: () => db.transaction(async () => { for (const r of tables.retries.values()) tables.retries.delete(r.id) }),
  }
})
