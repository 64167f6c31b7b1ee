// A fresh, migrated database on the real MariaDB for one test file, dropped afterwards. Each file gets
// its own database, so test files can run side by side.
import { randomBytes } from 'node:crypto'
import { loadConfig } from '../../switch/config.ts'
import { ensureDatabase, openDb, type Db, type DbSettings } from '../../ledger/store/db.ts'
import { migrateSwitchDatabase } from '../../switch/store/migrate.ts'

export interface TestDb {
  db: Db
  settings: DbSettings
  drop(): Promise<void>
}

export async function createTestDb(label = 'test'): Promise<TestDb> {
  const base = loadConfig().db
  const database = `agora_${label.replace(/\W/g, '_').slice(0, 20)}_${randomBytes(4).toString('hex')}`
  const settings: DbSettings = { ...base, database, poolMax: 10 }
  await ensureDatabase(settings)
  const db = openDb(settings)
  await migrateSwitchDatabase(db)
  return {
    db,
    settings,
    async drop() {
      await db.raw('DROP DATABASE IF EXISTS ??', [database])
      await db.destroy()
    },
  }
}
