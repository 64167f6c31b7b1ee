// The GSMA connector's tables live in the connector's own database, migrated by their own table
// (gsma_migrations), before the connector core starts: its recovery may post a credit at once.
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import { readdir } from 'node:fs/promises'
import type { Knex } from 'knex'
import { ensureDatabase, openDb, type Db, type DbSettings } from '../../ledger/store/db.ts'

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations')
export const GSMA_POOL_MAX = 5

class GsmaMigrations implements Knex.MigrationSource<string> {
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

export async function openGsmaDb(settings: DbSettings): Promise<Db> {
  await ensureDatabase(settings)
  const db = openDb({ ...settings, poolMax: GSMA_POOL_MAX })
  await db.migrate.latest({ migrationSource: new GsmaMigrations(), tableName: 'gsma_migrations' })
  return db
}
