// What the transfer pipeline needs beyond the ledger: the FSPIOP version a transfer speaks (callbacks
// answer in it), whether the payee asked for a PATCH notification (it answered RESERVED), and dead
// letters of callbacks that could not be delivered (I6).
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('transfer', (t) => {
    t.string('fspiop_version', 4).notNullable().defaultTo('1.1')
    t.boolean('payee_wants_patch').notNullable().defaultTo(false)
  })
  await knex.schema.createTable('callback_dead_letter', (t) => {
    t.bigIncrements('id').primary()
    t.string('recipient', 30).notNullable()
    t.string('method', 6).notNullable()
    t.string('url', 1024).nullable()
    t.string('reference', 64).nullable() // transfer id, quote id …
    t.text('payload', 'mediumtext').notNullable()
    t.string('reason', 512).notNullable()
    t.integer('attempts').notNullable()
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3))
    t.index(['reference'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('callback_dead_letter')
  await knex.schema.alterTable('transfer', (t) => {
    t.dropColumn('fspiop_version')
    t.dropColumn('payee_wants_patch')
  })
}
