// G2P disbursements (switch/disbursements): one row per submitted file, one per beneficiary, one per
// chunk paid through the bulk-payments port. Chunks are fixed before any payment so a resumed engine
// pays the same beneficiaries with the same ids.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('disbursement', (t) => {
    t.string('id', 64).primary() // pain.001 GrpHdr/MsgId or the Disbursement-Id header
    t.string('payer_fsp', 32).notNullable()
    t.string('format', 8).notNullable() // pain.001 | csv | gsma
    t.string('currency', 3).notNullable()
    t.string('content_hash', 64).notNullable()
    t.string('state', 12).notNullable() // RECEIVED | RESOLVING | PAYING | COMPLETED
    t.integer('total').notNullable()
    t.decimal('total_amount', 26, 4).notNullable()
    t.text('source_meta').notNullable() // JSON: what the report quotes back (PmtInfId, batchTitle, ...)
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3))
    t.datetime('completed_at', { precision: 3 }).nullable()
    t.index(['state'])
    t.index(['payer_fsp', 'created_at'])
  })
  await knex.schema.createTable('disbursement_item', (t) => {
    t.string('disbursement_id', 64).notNullable()
    t.integer('item_no').notNullable() // 0-based, in submission order
    t.string('id_type', 32).notNullable()
    t.string('id_value', 128).notNullable()
    t.decimal('amount', 22, 4).notNullable()
    t.string('name', 140).notNullable().defaultTo('')
    t.string('reference', 140).notNullable().defaultTo('')
    t.string('state', 12).notNullable() // RECEIVED | RESOLVED | UNRESOLVED | PAID | FAILED
    t.string('payee_fsp', 32).nullable()
    t.integer('chunk_no').nullable()
    t.string('error_code', 4).nullable()
    t.string('error_description', 255).nullable()
    t.primary(['disbursement_id', 'item_no'])
    t.index(['disbursement_id', 'chunk_no'])
  })
  await knex.schema.createTable('disbursement_chunk', (t) => {
    t.string('disbursement_id', 64).notNullable()
    t.integer('chunk_no').notNullable()
    t.string('payee_fsp', 32).notNullable()
    t.integer('items').notNullable()
    t.string('state', 8).notNullable() // PENDING | DONE
    t.integer('attempts').notNullable().defaultTo(0)
    t.datetime('expiration', { precision: 3 }).nullable() // fixed at the first attempt, so a retry sends the same bulk
    t.primary(['disbursement_id', 'chunk_no'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('disbursement_chunk')
  await knex.schema.dropTable('disbursement_item')
  await knex.schema.dropTable('disbursement')
}
