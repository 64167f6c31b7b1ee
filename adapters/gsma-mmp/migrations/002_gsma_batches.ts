// The MMP platform's batches (POST /batchtransactions): keyed by the batch id this connector issued (the
// switch's Disbursement-Id), unique by the client's X-CorrelationID, with the callback each is owed once
// the switch's disbursement is COMPLETED.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('gsma_batches', (t) => {
    t.string('batch_id', 36).primary()
    t.string('server_correlation_id', 36).notNullable().unique()
    t.string('client_correlation_id', 36).notNullable().unique()
    t.string('callback_url', 2048).notNullable()
    /** The GSMA batch object as received, as JSON (what the switch is sent, byte for byte). */
    t.text('request', 'mediumtext').notNullable()
    /** RECEIVED (not yet accepted by the switch), SUBMITTED (the switch answered 202). */
    t.string('submission_state', 16).notNullable()
    /** PENDING (owed once the disbursement completes), DELIVERED, DEAD (given up, with the reason). */
    t.string('callback_state', 16).notNullable()
    t.integer('callback_attempts').notNullable().defaultTo(0)
    t.timestamp('next_callback_at', { precision: 3 }).notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'))
    t.string('callback_error', 256).nullable()
    t.timestamp('created_at', { precision: 3 }).notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'))
    t.timestamp('updated_at', { precision: 3 }).notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'))
    t.index(['callback_state', 'next_callback_at'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('gsma_batches')
}
