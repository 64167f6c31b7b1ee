// The GSMA connector's tables live in the connector's own database, migrated by their own table
// (gsma_migrations), before the connector core starts: its recovery may post a credit at once.
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import { ensureDatabase, migrateFolder, openDb, type Db, type DbSettings } from '../../ledger/store/db.ts'

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations')
export const GSMA_POOL_MAX = 5

export async function openGsmaDb(settings: DbSettings): Promise<Db> {
  await ensureDatabase(settings)
  const db = openDb({ ...settings, poolMax: GSMA_POOL_MAX })
  await migrateFolder(db, MIGRATIONS_DIR, 'gsma_migrations')
  return db
}
