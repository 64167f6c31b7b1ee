// Opens the ledger database (MySQL/MariaDB through knex + mysql2) and applies migrations.
import knexFactory, { type Knex } from 'knex'
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import { readdir } from 'node:fs/promises'

export type Db = Knex

export interface DbSettings {
  host: string
  port: number
  user: string
  password: string
  database: string
  poolMax?: number
  /** How long a query waits for a pooled connection before it fails (knex's default: 60 s). */
  acquireTimeout_ms?: number
}

/** When no acquireTimeout_ms is given. */
export const ACQUIRE_TIMEOUT_MS_DEFAULT = 2_000

export function openDb(settings: DbSettings): Db {
  return knexFactory({
    client: 'mysql2',
    connection: {
      host: settings.host,
      port: settings.port,
      user: settings.user,
      password: settings.password,
      database: settings.database,
      // DECIMAL and BIGINT come back as strings: money never passes through a JS float.
      decimalNumbers: false,
      supportBigNumbers: true,
      bigNumberStrings: true,
      dateStrings: false,
      timezone: 'Z',
      charset: 'utf8mb4',
      connectTimeout: settings.acquireTimeout_ms ?? ACQUIRE_TIMEOUT_MS_DEFAULT,
    },
    pool: { min: 0, max: settings.poolMax ?? 20 },
    acquireConnectionTimeout: settings.acquireTimeout_ms ?? ACQUIRE_TIMEOUT_MS_DEFAULT,
  })
}

/** Creates the database if it does not exist (connecting without one first). */
export async function ensureDatabase(settings: DbSettings): Promise<void> {
  const admin = openDb({ ...settings, database: '' })
  try {
    await admin.raw('CREATE DATABASE IF NOT EXISTS ??', [settings.database])
  } finally {
    await admin.destroy()
  }
}

/** The ledger's own migrations; the switch keeps its tables' migrations beside its store (switch/store/migrations). */
export const LEDGER_MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations')

/**
 * Migrations are the .ts files of the folders, applied in name order across them all: knex records each
 * by file name alone, so a migration moved between folders keeps its place and is not applied again.
 */
class MigrationSource implements Knex.MigrationSource<string> {
  constructor(private readonly folders: readonly string[]) {}

  private async files(): Promise<Map<string, string>> {
    const byName = new Map<string, string>()
    for (const folder of this.folders) {
      for (const f of await readdir(folder)) {
        if (!f.endsWith('.ts') || f.endsWith('.test.ts')) continue
        if (byName.has(f)) throw new Error(`migrations: ${f} is in two folders`)
        byName.set(f, path.join(folder, f))
      }
    }
    return byName
  }
  async getMigrations(): Promise<string[]> {
    return [...(await this.files()).keys()].sort()
  }
  getMigrationName(migration: string): string {
    return migration
  }
  async getMigration(migration: string): Promise<Knex.Migration> {
    const file = (await this.files()).get(migration)
    if (!file) throw new Error(`migrations: ${migration} not found`)
    return import(file)
  }
}

/** Applies the migrations of the folders (the ledger's alone unless told). */
export async function migrateToLatest(db: Db, folders: readonly string[] = [LEDGER_MIGRATIONS_DIR]): Promise<void> {
  await assertConsecutiveIds(db)
  await db.migrate.latest({ migrationSource: new MigrationSource(folders) })
}

/** The migrations of the folders not applied yet to the database (their file names, in order). */
export async function pendingMigrations(db: Db, folders: readonly string[] = [LEDGER_MIGRATIONS_DIR]): Promise<string[]> {
  const [, pending] = await db.migrate.list({ migrationSource: new MigrationSource(folders) }) as [unknown[], string[]]
  return pending
}

/** A component's own migrations (a connector's tables), recorded in a table of their own. */
export async function migrateFolder(db: Db, folder: string, tableName: string): Promise<void> {
  await db.migrate.latest({ migrationSource: new MigrationSource([folder]), tableName })
}

/**
 * Multi-row inserts rely on InnoDB giving one INSERT consecutive auto-increment ids (lock mode 0 or 1,
 * MariaDB's default); mode 2 may interleave them.
 */
async function assertConsecutiveIds(db: Db): Promise<void> {
  const [rows] = await db.raw('SELECT @@innodb_autoinc_lock_mode AS mode')
  const mode = Number(rows[0].mode)
  if (mode === 2) throw new Error('ledger: innodb_autoinc_lock_mode=2 interleaves ids of multi-row inserts; set it to 1')
}

/** One multi-row INSERT; returns the first id (the others follow consecutively). */
export async function insertMany(trx: Knex | Knex.Transaction, table: string, rows: readonly Record<string, unknown>[]): Promise<bigint> {
  const [first] = await trx(table).insert(rows as Record<string, unknown>[])
  return BigInt(first)
}
