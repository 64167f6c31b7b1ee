// The ISO 20022 adapter's own state, beside the connector core's in the connector's database (its own
// tables and migration history, iso20022_migrations): the bank messages it took, by their MsgId, so a
// message sent again is answered the same and paid once; the references a payee core must get back; and
// the camt.054 notifications, each sent once.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('iso_messages', (t) => {
    t.string('msg_id', 35).primary()
    t.string('msg_type', 16).notNullable()
    /** SHA-256 of the message's content: the same MsgId with other content is a duplicate id (DU01). */
    t.string('digest', 64).notNullable()
    t.string('transfer_id', 36).notNullable()
    t.string('end_to_end_id', 35).notNullable()
    /** http, or the inbox file's name (its answer goes to the outbox under the same name). */
    t.string('source', 255).notNullable()
    /** The final pacs.002, once the payment is final; null while the switch has not decided. */
    t.text('answer', 'mediumtext').nullable()
    t.timestamp('created_at', { precision: 3 }).notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'))
    t.index(['transfer_id'])
    t.index(['end_to_end_id'])
  })
  await knex.schema.createTable('iso_payee_refs', (t) => {
    /** The FSPIOP transactionId of a quote this bank answered as payee. */
    t.string('transaction_id', 36).primary()
    t.text('refs').notNullable()
    t.timestamp('created_at', { precision: 3 }).notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'))
  })
  await knex.schema.createTable('iso_payee_credits', (t) => {
    t.string('transfer_id', 36).primary()
    /** The credit transfer as the core was sent it (pacs.008, as JSON): the camt.054 quotes it. */
    t.text('transfer').notNullable()
    t.timestamp('created_at', { precision: 3 }).notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'))
  })
  await knex.schema.createTable('iso_notifications', (t) => {
    t.string('transfer_id', 36).notNullable()
    /** DBIT (this bank paid), CRDT (this bank was paid), RJCT (a credit it took was aborted). */
    t.string('direction', 4).notNullable()
    t.text('xml', 'mediumtext').notNullable()
    t.boolean('delivered').notNullable().defaultTo(false)
    t.timestamp('created_at', { precision: 3 }).notNullable().defaultTo(knex.raw('CURRENT_TIMESTAMP(3)'))
    t.primary(['transfer_id', 'direction'])
    t.index(['delivered'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('iso_notifications')
  await knex.schema.dropTable('iso_payee_credits')
  await knex.schema.dropTable('iso_payee_refs')
  await knex.schema.dropTable('iso_messages')
}
