// FSPIOP v2.0 fxQuotes (switch/fx): one row per conversion request, with its duplicate checks (the request's
// and the FXP's answer's hashes) and the FXP's answer, resent for duplicates and GET.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('fx_quote', (t) => {
    t.string('id', 36).primary() // conversionRequestId
    t.string('conversion_id', 36).notNullable()
    t.string('determining_transfer_id', 36).nullable()
    t.string('initiating_fsp', 32).notNullable()
    t.string('fxp', 32).notNullable() // conversionTerms.counterPartyFsp, the FSPIOP-Destination
    t.string('amount_type', 10).notNullable()
    t.string('source_currency', 3).notNullable()
    t.decimal('source_amount', 22, 4).nullable() // the request names one side's amount; the FXP's answer both
    t.string('target_currency', 3).notNullable()
    t.decimal('target_amount', 22, 4).nullable()
    t.decimal('quoted_source_amount', 22, 4).nullable() // from the FXP's PUT
    t.decimal('quoted_target_amount', 22, 4).nullable()
    t.datetime('expiration', { precision: 3 }).notNullable()
    t.string('state', 20).notNullable() // RECEIVED | ACCEPTED | REJECTED
    t.string('request_hash', 64).notNullable()
    t.string('response_hash', 64).nullable()
    t.text('response', 'mediumtext').nullable() // the FXP's PUT body or error as JSON { error, body }
    t.string('fspiop_version', 4).notNullable()
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3))
    t.datetime('changed_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3))
    t.index(['conversion_id'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('fx_quote')
}
