// FSPIOP v2.0 currency conversions (POST /fxTransfers), payer-side. The conversion's money is an ordinary
// row of `transfer` (id = commitRequestId: the initiating DFSP pays the FXP the source amount); fx_transfer
// holds what the ledger does not: the target side, the transfer it depends on, and whether that transfer
// has been reserved against it (then both legs commit or abort together).
import type { Knex } from 'knex'

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('fx_transfer', (t) => {
    t.string('commit_request_id', 36).primary()
    t.string('determining_transfer_id', 36).notNullable()
    t.string('initiating_fsp', 32).notNullable()
    t.string('counter_party_fsp', 32).notNullable()
    // The initiating DFSP's POSITION account in the source currency: every message of the conversion and of
    // its dependent transfer is keyed by it, so one consumer decides both.
    t.integer('owner_account_id').notNullable()
    t.decimal('source_amount', 22, 4).notNullable()
    t.string('source_currency', 3).notNullable()
    t.decimal('target_amount', 22, 4).notNullable()
    t.string('target_currency', 3).notNullable()
    // True once the dependent transfer is RESERVED against the FXP's target-currency position.
    t.boolean('dependent_linked').notNullable().defaultTo(false)
    // The version the FXP answered in (its PATCH is sent in it).
    t.string('fxp_version', 4).nullable()
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3))
    // At most one open conversion per determining transfer and owner: the owner's consumer refuses a second
    // (fx-position.ts); refused and finished ones stay, for duplicates and GET.
    t.index(['determining_transfer_id'])
    t.index(['counter_party_fsp', 'created_at'])
  })
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('fx_transfer')
}
