// Settlements: over one or more closed windows, each DFSP's net amount per currency (one row per
// position account), driven through the settlement states; every state change kept.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('settlement', (t) => {
    t.bigIncrements('id').primary()
    t.integer('settlement_model_id').unsigned().notNullable().references('settlement_model.id')
    t.string('state', 30).notNullable()
    t.string('reason', 512).nullable()
    t.string('created_by', 128).notNullable()
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3))
    t.datetime('changed_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3))
  })
  await knex.schema.createTable('settlement_window_link', (t) => {
    t.bigInteger('settlement_id').unsigned().notNullable().references('settlement.id')
    t.bigInteger('settlement_window_id').unsigned().notNullable().references('settlement_window.id')
    t.primary(['settlement_id', 'settlement_window_id'])
    t.unique(['settlement_window_id']) // a window is settled once
  })
  await knex.schema.createTable('settlement_account', (t) => {
    t.bigInteger('settlement_id').unsigned().notNullable().references('settlement.id')
    t.integer('account_id').unsigned().notNullable().references('account.id') // the DFSP's POSITION account
    t.integer('participant_id').unsigned().notNullable()
    t.string('currency', 3).notNullable()
    t.decimal('net_amount', 38, 4).notNullable() // > 0: the DFSP pays; < 0: it is paid
    t.string('state', 30).notNullable()
    t.string('reason', 512).nullable()
    t.string('external_reference', 256).nullable()
    t.datetime('changed_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3))
    t.primary(['settlement_id', 'account_id'])
  })
  await knex.schema.createTable('settlement_state_change', (t) => {
    t.bigIncrements('id').primary()
    t.bigInteger('settlement_id').unsigned().notNullable()
    t.integer('account_id').unsigned().nullable() // null: the settlement as a whole
    t.string('state', 30).notNullable()
    t.string('reason', 512).nullable()
    t.string('changed_by', 128).notNullable()
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3))
    t.index(['settlement_id'])
  })
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['settlement_state_change', 'settlement_account', 'settlement_window_link', 'settlement']) await knex.schema.dropTableIfExists(table)
}
