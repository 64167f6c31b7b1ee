// A connector's own state: the payments it sends (payer side) and the FSPIOP requests it answers (payee
// side), each keyed by the FSPIOP message's own id, so a repeat is recognised and nothing is paid twice.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('outbound_payments', (t) => {
    t.string('transfer_id', 36).primary()
    t.string('home_transaction_id', 128).nullable()
    t.string('state', 40).notNullable()
    /** The core's request, as JSON. */
    t.text('request').notNullable()
    t.string('payee_fsp', 32).nullable()
    t.text('party').nullable()
    t.string('quote_id', 36).nullable()
    t.text('quote').nullable()
    /** The prepare as sent, so a restart can send the very same one again. */
    t.text('prepare').nullable()
    t.string('fulfilment', 64).nullable()
    t.string('completed_timestamp', 40).nullable()
    t.string('error_code', 4).nullable()
    t.string('error_description', 256).nullable()
    t.timestamp('created_at', { precision: 3 }).notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'))
    t.timestamp('updated_at', { precision: 3 }).notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'))
    t.index(['state'])
  })
  await knex.schema.createTable('inbound_messages', (t) => {
    /** quote | transfer */
    t.string('kind', 16).notNullable()
    t.string('message_id', 36).notNullable()
    t.string('source', 32).notNullable()
    t.string('state', 40).notNullable()
    t.text('request').notNullable()
    /** The callback this connector sent (path and body), resent as-is for a repeated request. */
    t.text('answer').nullable()
    t.timestamp('created_at', { precision: 3 }).notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'))
    t.timestamp('updated_at', { precision: 3 }).notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'))
    t.primary(['kind', 'message_id'])
    t.index(['kind', 'state'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('inbound_messages')
  await knex.schema.dropTable('outbound_payments')
}
