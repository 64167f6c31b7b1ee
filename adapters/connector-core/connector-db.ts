// The connector's database: its own schema (agora_connector_<name> by default) on the scheme's MariaDB,
// with migrations of its own (adapters/connector-core/migrations, table connector_migrations).
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import { ensureDatabase, migrateFolder, openDb, type Db, type DbSettings } from '../../ledger/store/db.ts'

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations')
export const CONNECTOR_POOL_MAX = 10

/** Creates the database when missing and brings its schema up to date. */
export async function openConnectorDb(settings: DbSettings): Promise<Db> {
  await ensureDatabase(settings)
  const db = openDb({ ...settings, poolMax: settings.poolMax ?? CONNECTOR_POOL_MAX })
  await migrateFolder(db, MIGRATIONS_DIR, 'connector_migrations')
  return db
}
