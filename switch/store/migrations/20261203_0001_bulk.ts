// FSPIOP bulk: bulk quotes (request and the payee's answer, for duplicates and GET) and bulk transfers
// (the prepare, its items, the payee's answer and the final per-item result). The items of a bulk
// transfer are ordinary rows of `transfer`; bulk_transfer_item says which bulk each belongs to.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('bulk_quote', (t) => {
    t.string('id', 36).primary()
    t.string('payer_fsp', 32).notNullable()
    t.string('payee_fsp', 32).notNullable()
    t.string('state', 20).notNullable() // RECEIVED | ACCEPTED | REJECTED
    t.string('origin', 8).notNullable() // fspiop | switch (BulkPayments: the answer is not forwarded)
    t.string('request_hash', 64).notNullable()
    t.string('response_hash', 64).nullable()
    t.text('response', 'mediumtext').nullable()
    t.string('fspiop_version', 4).notNullable()
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3))
    t.datetime('changed_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3))
  })
  await knex.schema.createTable('bulk_transfer', (t) => {
    t.string('id', 36).primary()
    t.string('payer_fsp', 32).notNullable()
    t.string('payee_fsp', 32).notNullable()
    t.integer('payer_account_id').notNullable()
    t.string('state', 20).notNullable() // ACCEPTED (forwarded, items RESERVED) | COMPLETED
    t.string('origin', 8).notNullable() // fspiop | switch
    t.datetime('expiration', { precision: 3 }).notNullable()
    t.string('prepare_hash', 64).notNullable()
    t.string('fulfil_hash', 64).nullable()
    t.text('transfer_ids', 'mediumtext').notNullable() // JSON array, in the request's order
    t.text('refused', 'mediumtext').notNullable() // JSON: items refused at prepare, { transferId, errorCode, errorDescription }[]
    t.text('result', 'mediumtext').nullable() // JSON: the final PUT /bulkTransfers/{id} body
    t.string('fspiop_version', 4).notNullable()
    t.string('payer_accept_version', 4).notNullable()
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3))
    t.datetime('completed_at', { precision: 3 }).nullable()
  })
  await knex.schema.createTable('bulk_transfer_item', (t) => {
    t.string('transfer_id', 36).primary()
    t.string('bulk_transfer_id', 36).notNullable().index()
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('bulk_transfer_item')
  await knex.schema.dropTable('bulk_transfer')
  await knex.schema.dropTable('bulk_quote')
}
