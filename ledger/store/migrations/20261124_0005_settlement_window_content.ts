// A window holds transfers in several currencies, and each currency is settled under its own model: a
// window's content (one row per currency) is claimed by one settlement at a time, not the window whole.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('settlement_window_content', (t) => {
    t.bigInteger('settlement_window_id').unsigned().notNullable().references('settlement_window.id')
    t.string('currency', 3).notNullable()
    t.bigInteger('settlement_id').unsigned().notNullable().references('settlement.id')
    t.primary(['settlement_window_id', 'currency']) // a window's currency is in one live settlement at most
    t.index(['settlement_id'])
  })
  // A window may now be in several settlements (one per currency); keep an index for its foreign key.
  await knex.schema.alterTable('settlement_window_link', (t) => t.index(['settlement_window_id'], 'settlement_window_link_window_index'))
  await knex.schema.alterTable('settlement_window_link', (t) => t.dropUnique(['settlement_window_id']))
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('settlement_window_link', (t) => t.unique(['settlement_window_id']))
  await knex.schema.alterTable('settlement_window_link', (t) => t.dropIndex(['settlement_window_id'], 'settlement_window_link_window_index'))
  await knex.schema.dropTableIfExists('settlement_window_content')
}
