// The connector's database: its own schema (agora_connector_<name> by default) on the scheme's MariaDB,
// with migrations of its own (adapters/connector-core/migrations, table connector_migrations).
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import { readdir } from 'node:fs/promises'
import type { Knex } from 'knex'
import { ensureDatabase, openDb, type Db, type DbSettings } from '../../ledger/store/db.ts'

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations')
export const CONNECTOR_POOL_MAX = 10

class ConnectorMigrations implements Knex.MigrationSource<string> {
  async getMigrations(): Promise<string[]> {
    return (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).sort()
  }
  getMigrationName(migration: string): string {
    return migration
  }
  async getMigration(migration: string): Promise<Knex.Migration> {
    return import(path.join(MIGRATIONS_DIR, migration))
  }
}

/** Creates the database when missing and brings its schema up to date. */
export async function openConnectorDb(settings: DbSettings): Promise<Db> {
  await ensureDatabase(settings)
  const db = openDb({ ...settings, poolMax: settings.poolMax ?? CONNECTOR_POOL_MAX })
  await db.migrate.latest({ migrationSource: new ConnectorMigrations(), tableName: 'connector_migrations' })
  return db
}
