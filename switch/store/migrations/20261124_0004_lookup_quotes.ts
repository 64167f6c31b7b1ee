// Account lookup (the built-in oracle and registered external oracles), quotes with duplicate checks,
// and the DFSPs' JWS public keys.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('oracle_party', (t) => {
    t.string('party_id_type', 32).notNullable()
    t.string('party_id', 128).notNullable()
    t.string('party_sub_id', 128).notNullable().defaultTo('') // '' = none
    t.string('fsp_id', 32).notNullable()
    t.string('currency', 3).nullable()
    t.datetime('changed_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3))
    t.primary(['party_id_type', 'party_id', 'party_sub_id'])
    t.index(['fsp_id'])
  })
  await knex.schema.createTable('oracle_endpoint', (t) => {
    t.increments('id').primary()
    t.string('party_id_type', 32).notNullable()
    t.string('currency', 3).nullable()
    t.string('endpoint_type', 16).notNullable() // URL
    t.string('endpoint', 512).notNullable()
    t.boolean('is_default').notNullable().defaultTo(false)
    t.boolean('is_active').notNullable().defaultTo(true)
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3))
  })
  await knex.schema.createTable('quote', (t) => {
    t.string('id', 36).primary()
    t.string('transaction_id', 36).notNullable()
    t.string('payer_fsp', 32).notNullable()
    t.string('payee_fsp', 32).notNullable()
    t.decimal('amount', 22, 4).notNullable()
    t.string('currency', 3).notNullable()
    t.string('amount_type', 10).notNullable()
    t.datetime('expiration', { precision: 3 }).nullable()
    t.string('state', 20).notNullable() // RECEIVED | ACCEPTED | REJECTED | EXPIRED
    t.string('request_hash', 64).notNullable()
    t.string('response_hash', 64).nullable()
    t.text('response', 'mediumtext').nullable() // the payee's PUT body or error, resent for duplicates and GET
    t.string('fspiop_version', 4).notNullable()
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3))
    t.datetime('changed_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3))
  })
  await knex.schema.createTable('participant_jws_key', (t) => {
    t.integer('participant_id').unsigned().primary().references('participant.id')
    t.text('public_key').notNullable() // PEM
    t.datetime('changed_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3))
    t.string('changed_by', 128).notNullable()
  })
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['participant_jws_key', 'quote', 'oracle_endpoint', 'oracle_party']) await knex.schema.dropTableIfExists(table)
}
