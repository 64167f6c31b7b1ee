// The GSMA connector's own state, beside the connector core's tables: the MMP platform's requests (keyed by
// the serverCorrelationId this connector issued, unique by the client's X-CorrelationID) with the callback
// each is owed, and the credits it posted to the MMP's own API as payee.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('gsma_requests', (t) => {
    t.string('server_correlation_id', 36).primary()
    t.string('client_correlation_id', 36).notNullable().unique()
    /** transfer | quotation */
    t.string('kind', 16).notNullable()
    /** transactionReference (the FSPIOP transfer id) or quotationReference. */
    t.string('object_reference', 36).notNullable().unique()
    /** The connector core's payment (outbound_payments.transfer_id). */
    t.string('transfer_id', 36).notNullable()
    t.string('callback_url', 2048).notNullable()
    /** The GSMA request body as received, as JSON. */
    t.text('request').notNullable()
    /** PENDING (owed), DELIVERED (the client answered 2xx), DEAD (given up, with the reason). */
    t.string('callback_state', 16).notNullable()
    t.integer('callback_attempts').notNullable().defaultTo(0)
    t.timestamp('next_callback_at', { precision: 3 }).notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'))
    t.string('callback_error', 256).nullable()
    t.timestamp('created_at', { precision: 3 }).notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'))
    t.timestamp('updated_at', { precision: 3 }).notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'))
    t.index(['callback_state', 'next_callback_at'])
    t.index(['transfer_id'])
  })
  await knex.schema.createTable('gsma_payee_credits', (t) => {
    t.string('transfer_id', 36).primary()
    /** The X-CorrelationID the credit was posted with (the same on every try). */
    t.string('correlation_id', 36).notNullable()
    /** POSTED, COMPLETED, FAILED, ABANDONED (given up waiting), REVERSAL_REQUESTED, COMMITTED */
    t.string('state', 24).notNullable()
    t.string('server_correlation_id', 64).nullable()
    t.string('mmp_transaction_reference', 256).nullable()
    t.string('error', 256).nullable()
    t.timestamp('created_at', { precision: 3 }).notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'))
    t.timestamp('updated_at', { precision: 3 }).notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'))
    t.index(['state'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('gsma_payee_credits')
  await knex.schema.dropTable('gsma_requests')
}
