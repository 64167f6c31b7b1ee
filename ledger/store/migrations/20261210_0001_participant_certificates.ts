// The registry of participants' TLS client certificates (mutual TLS on the FSPIOP port): each certificate,
// by its SHA-256 fingerprint, belongs to one participant; revoked ones stay, with when and by whom.
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('participant_certificate', (t) => {
    t.specificType('fingerprint_sha256', 'char(64)').primary() // lowercase hex of SHA-256 over the DER
    t.integer('participant_id').unsigned().notNullable().references('participant.id').index()
    t.string('serial_number', 64).notNullable()
    t.string('subject', 512).notNullable()
    t.datetime('not_before', { precision: 3 }).notNullable()
    t.datetime('not_after', { precision: 3 }).notNullable()
    t.text('certificate').notNullable() // PEM
    t.datetime('registered_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3))
    t.string('registered_by', 128).notNullable()
    t.datetime('revoked_at', { precision: 3 }).nullable()
    t.string('revoked_by', 128).nullable()
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('participant_certificate')
}
