// Callbacks waiting for another try: the notification handler tries each callback once and leaves the
// retries (with backoff) to the callback retrier, so one DFSP that is down or slow does not hold up the
// callbacks of the others on its Kafka partition.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('callback_retry', (t) => {
    t.bigIncrements('id').primary()
    t.string('recipient', 30).notNullable()
    t.string('reference', 64).nullable() // transfer id, quote id …
    t.text('payload', 'mediumtext').notNullable() // the Notification as JSON
    t.integer('attempts').notNullable() // tries made so far
    t.string('last_reason', 512).nullable()
    t.datetime('due_at', { precision: 3 }).notNullable()
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3))
    t.index(['due_at'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('callback_retry')
}
