// The version the payer asked for in Accept: the hub's own callbacks to the payer (expiry, a wrong
// fulfilment) answer in it. Null on transfers prepared before it was kept: they answer in fspiop_version.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('transfer', (t) => {
    t.string('payer_accept_version', 4).nullable()
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('transfer', (t) => {
    t.dropColumn('payer_accept_version')
  })
}
