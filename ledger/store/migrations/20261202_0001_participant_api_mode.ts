// The API mode of a participant (FSPIOP or ISO20022): what the switch sends it and accepts from it.
// No row means FSPIOP.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('participant_api_mode', (t) => {
    t.integer('participant_id').unsigned().primary().references('participant.id')
    t.string('api_mode', 16).notNullable()
    t.datetime('changed_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3))
    t.string('changed_by', 128).notNullable()
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('participant_api_mode')
}
