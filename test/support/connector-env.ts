// What a connector's own integration test (beside its code in adapters/) needs from the scheme without
// importing switch internals itself: database settings for a database of its own, dropping it after, and a
// silent logger.
import { loadConfig } from '../../switch/config/config.ts'
import { openDb, type DbSettings } from '../../ledger/store/db.ts'
import { silentLogger } from '../../switch/observability/logger.ts'

export { silentLogger }

export function connectorDbSettings(database: string): DbSettings {
  return { ...loadConfig().db, database, poolMax: 5 }
}

export async function dropDatabase(database: string): Promise<void> {
  const db = openDb({ ...loadConfig().db, database: '' })
  await db.raw('DROP DATABASE IF EXISTS ??', [database])
  await db.destroy()
}
