// Bulk quotes and bulk transfers (up to 1,000 items, each with its ILP packet) are inbound messages too: their
// request and answer outgrow TEXT's 64 KB.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('inbound_messages', (t) => {
    t.text('request', 'mediumtext').notNullable().alter()
    t.text('answer', 'mediumtext').nullable().alter()
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('inbound_messages', (t) => {
    t.text('request').notNullable().alter()
    t.text('answer').nullable().alter()
  })
}
