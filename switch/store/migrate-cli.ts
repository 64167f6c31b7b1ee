// `npm run migrate`: applies the ledger's and the switch's migrations to the configured database.
import { loadConfig } from '../config.ts'
import { ensureDatabase, openDb } from '../../ledger/store/db.ts'
import { migrateSwitchDatabase } from './migrate.ts'

const { db: settings } = loadConfig()
await ensureDatabase(settings)
const db = openDb(settings)
try {
  await migrateSwitchDatabase(db)
  console.log(`migrations applied to ${settings.database} on ${settings.host}:${settings.port}`)
} finally {
  await db.destroy()
}
