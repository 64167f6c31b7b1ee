// The switch's database: the ledger's tables and the switch's own (outbox, consumed offsets, callback
// retries and dead letters, quotes, oracle), migrated together in name order.
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import { LEDGER_MIGRATIONS_DIR, migrateToLatest, pendingMigrations, type Db } from '../../ledger/store/db.ts'

/** Migrations of the switch's own tables. Moved here from the ledger's folder with their names unchanged. */
export const SWITCH_MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations')

export function migrateSwitchDatabase(db: Db): Promise<void> {
  return migrateToLatest(db, [LEDGER_MIGRATIONS_DIR, SWITCH_MIGRATIONS_DIR])
}

/** The switch's migrations not yet applied (what a pod that does not migrate at start waits for). */
export function pendingSwitchMigrations(db: Db): Promise<string[]> {
  return pendingMigrations(db, [LEDGER_MIGRATIONS_DIR, SWITCH_MIGRATIONS_DIR])
}
