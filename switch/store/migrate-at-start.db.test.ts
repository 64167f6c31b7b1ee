// AGORA_MIGRATE_AT_START=false (the Helm chart, whose hook Job migrates): the switch never changes the schema
// itself; it stays not ready until the database has no pending migration, and is ready once it has.
import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { loadConfig } from '../config/config.ts'
import { ensureDatabase, openDb } from '../../ledger/store/db.ts'
import { migrateSwitchDatabase, pendingSwitchMigrations } from './migrate.ts'
import { randomPort, spawnSwitch, waitForAnswer, type SpawnedSwitch } from '../../test/support/switch-process.ts'

const database = `agora_nomigrate_${randomBytes(4).toString('hex')}`
const settings = { ...loadConfig().db, database }
let child: SpawnedSwitch | undefined
const db = openDb(settings)
after(async () => {
  child?.kill('SIGKILL')
  await child?.exited
  await db.raw('DROP DATABASE IF EXISTS ??', [database])
  await db.destroy()
})

interface ReadyBody { services: { name: string; status: string; detail?: string }[] }
const datastore = (body: ReadyBody) => body.services.find((s) => s.name === 'datastore')!

test('with AGORA_MIGRATE_AT_START=false the switch does not migrate: not ready while migrations are pending, ready once they are applied elsewhere', async () => {
  await ensureDatabase(settings)
  const before = await pendingSwitchMigrations(db)
  assert.ok(before.length > 0, 'a new database has every migration pending')
  const port = randomPort()
  child = spawnSwitch(port, { AGORA_DB_NAME: database, AGORA_ROLES: 'admin', AGORA_MIGRATE_AT_START: 'false', AGORA_LOG_LEVEL: 'warn' })
  const waiting = await waitForAnswer(`${child.adminUrl}/ready`, { timeout_ms: 60_000 })
  assert.equal(waiting.status, 503)
  assert.match(datastore(waiting.body).detail ?? '', /not migrated yet/)
  // Long enough for a migration at start to have run (it takes well under this on an empty database).
  await waitForAnswer(`${child.adminUrl}/live`, { status: 200 })
  await new Promise((resolve) => setTimeout(resolve, 3_000))
  assert.deepEqual(await pendingSwitchMigrations(db), before, 'the switch applied no migration')
  assert.equal((await waitForAnswer(`${child.adminUrl}/ready`)).status, 503)

  await migrateSwitchDatabase(db) // what the chart's hook Job does (npm run migrate)
  assert.deepEqual(await pendingSwitchMigrations(db), [])
  const ready = await waitForAnswer(`${child.adminUrl}/ready`, { status: 200, timeout_ms: 30_000 })
  assert.equal(datastore(ready.body).status, 'OK')
})
