// The audit log becomes a hash chain (ledger/domain/audit-chain.ts): seq, prev_hash and hash on every
// row, and one head row that every append locks. Rows written before are chained here, in id order.
import type { Knex } from 'knex'
import { canonicalJson, entryHash, GENESIS_HASH } from '../../domain/audit-chain.ts'

const PAGE_ROWS = 1_000

/**
 * Not in the migrator's transaction: MySQL commits a transaction implicitly at every DDL statement, so
 * inside it the backfill below was a savepoint in autocommit mode (knex: "Transaction was implicitly
 * committed… (#805)") and not atomic. Run on its own, the backfill is one real transaction.
 */
export const config = { transaction: false }

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_log', (t) => {
    t.bigInteger('seq').unsigned().nullable()
    t.specificType('prev_hash', 'CHAR(64)').nullable()
    t.specificType('hash', 'CHAR(64)').nullable()
  })
  await knex.schema.createTable('audit_chain_head', (t) => {
    t.tinyint('id').unsigned().primary()
    t.bigInteger('seq').unsigned().notNullable()
    t.specificType('hash', 'CHAR(64)').notNullable()
  })
  await knex.transaction(async (trx) => {
    let seq = 0n
    let prevHash = GENESIS_HASH
    let afterId: string | number = 0
    for (;;) {
      const rows: { id: string; actor: string; action: string; target: string | null; detail: unknown; created_at: Date }[] = await trx('audit_log').where('id', '>', afterId).orderBy('id').limit(PAGE_ROWS).forUpdate()
      for (const row of rows) {
        seq++
        const detail = row.detail === null ? null : typeof row.detail === 'string' ? JSON.parse(row.detail) : row.detail // mysql2 parses MariaDB's JSON
        const hash = entryHash(prevHash, { seq, actor: row.actor, action: row.action, target: row.target, detail, createdAt: row.created_at })
        await trx('audit_log').where({ id: row.id }).update({ seq: seq.toString(), prev_hash: prevHash, hash, detail: detail === null ? null : canonicalJson(detail) })
        prevHash = hash
      }
      if (rows.length < PAGE_ROWS) break
      afterId = rows[rows.length - 1]!.id
    }
    await trx('audit_chain_head').insert({ id: 1, seq: seq.toString(), hash: prevHash })
  })
  await knex.schema.alterTable('audit_log', (t) => {
    t.bigInteger('seq').unsigned().notNullable().alter()
    t.specificType('prev_hash', 'CHAR(64)').notNullable().alter()
    t.specificType('hash', 'CHAR(64)').notNullable().alter()
    t.unique(['seq'], { indexName: 'audit_log_seq_unique' })
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('audit_chain_head')
  await knex.schema.alterTable('audit_log', (t) => {
    t.dropUnique(['seq'], 'audit_log_seq_unique')
    t.dropColumn('seq')
    t.dropColumn('prev_hash')
    t.dropColumn('hash')
  })
}
