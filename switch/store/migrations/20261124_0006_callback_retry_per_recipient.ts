// The callback retrier claims due retries fairly across DFSPs (a few per DFSP per claim) and, when a
// DFSP's circuit is open, charges its waiting retries in one statement: both read by recipient and due
// time. And the references, which tests and operators look retries up by.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('callback_retry', (t) => {
    t.index(['recipient', 'due_at'], 'callback_retry_recipient_due_index')
    t.index(['reference'], 'callback_retry_reference_index')
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('callback_retry', (t) => {
    t.dropIndex(['recipient', 'due_at'], 'callback_retry_recipient_due_index')
    t.dropIndex(['reference'], 'callback_retry_reference_index')
  })
}
