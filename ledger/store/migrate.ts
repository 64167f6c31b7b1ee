// `npm run migrate`: applies the ledger migrations to the configured database.
import { loadConfig } from '../../switch/config.ts'
import { ensureDatabase, migrateToLatest, openDb } from './db.ts'

const { db: settings } = loadConfig()
await ensureDatabase(settings)
const db = openDb(settings)
try {
  await migrateToLatest(db)
  console.log(`migrations applied to ${settings.database} on ${settings.host}:${settings.port}`)
} finally {
  await db.destroy()
}
