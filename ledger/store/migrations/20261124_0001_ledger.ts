// The ledger: participants, accounts with positions, limits, endpoints, the double-entry journal,
// transfers with append-only state changes, funds movements, settlement models and windows, offsets,
// the notification outbox and the operator audit log.
import type { Knex } from 'knex'
import { allCurrencies } from '../../domain/currencies.ts'

const AMOUNT = [22, 4] as const // FSPIOP amount: 18 integer digits, 4 decimals
const BALANCE = [38, 4] as const // positions and balances accumulate

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('currency', (t) => {
    t.string('code', 3).primary()
    t.tinyint('scale').unsigned().notNullable()
  })
  await knex('currency').insert([...allCurrencies()].map(([code, scale]) => ({ code, scale })))

  await knex.schema.createTable('participant', (t) => {
    t.increments('id').primary()
    t.string('name', 30).notNullable().unique()
    t.boolean('is_active').notNullable().defaultTo(true)
    t.boolean('is_hub').notNullable().defaultTo(false)
    t.string('created_by', 128).notNullable()
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3))
  })

  // One account per participant, currency and type. value: the committed balance (for a POSITION account,
  // what the DFSP owes the scheme; for a SETTLEMENT account, minus the funds it has deposited).
  // reserved_value: amounts held by transfers (position) or funds out (settlement) not yet final.
  await knex.schema.createTable('account', (t) => {
    t.increments('id').primary()
    t.integer('participant_id').unsigned().notNullable().references('participant.id')
    t.string('currency', 3).notNullable().references('currency.code')
    t.string('type', 40).notNullable()
    t.boolean('is_active').notNullable().defaultTo(true)
    t.decimal('value', ...BALANCE).notNullable().defaultTo(0)
    t.decimal('reserved_value', ...BALANCE).notNullable().defaultTo(0)
    t.datetime('changed_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3))
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3))
    t.unique(['participant_id', 'currency', 'type'])
  })

  // Limits on a POSITION account (NET_DEBIT_CAP). History is kept in the audit log.
  await knex.schema.createTable('participant_limit', (t) => {
    t.integer('account_id').unsigned().notNullable().references('account.id')
    t.string('type', 30).notNullable()
    t.decimal('value', ...BALANCE).notNullable()
    t.integer('alarm_percentage').notNullable().defaultTo(10)
    t.datetime('changed_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3))
    t.string('changed_by', 128).notNullable()
    t.primary(['account_id', 'type'])
  })

  await knex.schema.createTable('participant_endpoint', (t) => {
    t.integer('participant_id').unsigned().notNullable().references('participant.id')
    t.string('type', 80).notNullable()
    t.string('value', 512).notNullable()
    t.datetime('changed_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3))
    t.string('changed_by', 128).notNullable()
    t.primary(['participant_id', 'type'])
  })

  await knex.schema.createTable('settlement_model', (t) => {
    t.increments('id').primary()
    t.string('name', 50).notNullable().unique()
    t.boolean('is_active').notNullable().defaultTo(true)
    t.string('settlement_granularity', 20).notNullable() // GROSS | NET
    t.string('settlement_interchange', 20).notNullable() // BILATERAL | MULTILATERAL
    t.string('settlement_delay', 20).notNullable() // IMMEDIATE | DEFERRED
    t.string('currency', 3).nullable().references('currency.code')
    t.boolean('require_liquidity_check').notNullable().defaultTo(true)
    t.string('ledger_account_type', 40).notNullable()
    t.string('settlement_account_type', 40).notNullable()
    t.boolean('auto_position_reset').notNullable().defaultTo(false)
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3))
  })

  await knex.schema.createTable('settlement_window', (t) => {
    t.bigIncrements('id').primary()
    t.string('state', 30).notNullable()
    t.string('reason', 512).nullable()
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3))
    t.datetime('changed_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3))
    t.index(['state'])
  })
  await knex.schema.createTable('settlement_window_state_change', (t) => {
    t.bigIncrements('id').primary()
    t.bigInteger('settlement_window_id').unsigned().notNullable().references('settlement_window.id')
    t.string('state', 30).notNullable()
    t.string('reason', 512).nullable()
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3))
  })
  // There is always exactly one OPEN window; committed transfers land in it.
  const [windowId] = await knex('settlement_window').insert({ state: 'OPEN', reason: 'initial window' })
  await knex('settlement_window_state_change').insert({ settlement_window_id: windowId, state: 'OPEN', reason: 'initial window' })

  // Double-entry journal: every movement of money is one entry whose lines sum to zero.
  // A positive line amount raises the account's value (a debit), a negative one lowers it (a credit).
  await knex.schema.createTable('journal_entry', (t) => {
    t.bigIncrements('id').primary()
    t.string('kind', 40).notNullable()
    t.string('reference', 64).notNullable() // transfer id, funds movement id, settlement id …
    t.string('currency', 3).notNullable()
    t.bigInteger('settlement_window_id').unsigned().nullable()
    t.string('created_by', 128).notNullable()
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3))
    t.unique(['kind', 'reference'])
    t.index(['settlement_window_id'])
  })
  await knex.schema.createTable('journal_line', (t) => {
    t.bigInteger('entry_id').unsigned().notNullable().references('journal_entry.id')
    t.integer('account_id').unsigned().notNullable().references('account.id')
    t.decimal('amount', ...BALANCE).notNullable()
    t.primary(['entry_id', 'account_id'])
    t.index(['account_id'])
  })

  await knex.schema.createTable('transfer', (t) => {
    t.string('id', 36).primary()
    t.string('payer_fsp', 30).notNullable()
    t.string('payee_fsp', 30).notNullable()
    t.integer('payer_account_id').unsigned().notNullable()
    t.integer('payee_account_id').unsigned().notNullable()
    t.decimal('amount', ...AMOUNT).notNullable()
    t.string('currency', 3).notNullable()
    t.string('ilp_condition', 48).notNullable()
    t.text('ilp_packet').notNullable()
    t.datetime('expiration', { precision: 3 }).notNullable()
    t.string('state', 20).notNullable() // RECEIVED | RESERVED | COMMITTED | ABORTED | EXPIRED
    t.string('prepare_hash', 64).notNullable() // duplicate check of the prepare
    t.string('fulfil_hash', 64).nullable() // duplicate check of the fulfil / reject
    t.string('fulfilment', 48).nullable()
    t.string('error_code', 4).nullable()
    t.string('error_description', 128).nullable()
    t.json('extension_list').nullable()
    t.bigInteger('settlement_window_id').unsigned().nullable()
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3))
    t.datetime('completed_at', { precision: 3 }).nullable()
    t.index(['state', 'expiration'])
    t.index(['settlement_window_id'])
  })
  await knex.schema.createTable('transfer_state_change', (t) => {
    t.bigIncrements('id').primary()
    t.string('transfer_id', 36).notNullable()
    t.string('state', 20).notNullable()
    t.string('reason', 256).nullable()
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3))
    t.index(['transfer_id'])
  })

  // Funds in and out of a DFSP's settlement account, recorded by the hub operator.
  await knex.schema.createTable('funds_movement', (t) => {
    t.string('id', 36).primary() // transferId given by the operator
    t.integer('participant_id').unsigned().notNullable().references('participant.id')
    t.integer('account_id').unsigned().notNullable().references('account.id')
    t.string('direction', 3).notNullable() // IN | OUT
    t.decimal('amount', ...AMOUNT).notNullable()
    t.string('currency', 3).notNullable()
    t.string('state', 20).notNullable() // RESERVED | COMMITTED | ABORTED
    t.string('reason', 512).nullable()
    t.string('request_hash', 64).notNullable()
    t.json('extension_list').nullable()
    t.string('created_by', 128).notNullable()
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3))
    t.datetime('completed_at', { precision: 3 }).nullable()
  })

  // Kafka offsets consumed, written in the same transaction as the effects of the messages.
  await knex.schema.createTable('consumed_offset', (t) => {
    t.string('consumer_group', 100).notNullable()
    t.string('topic', 200).notNullable()
    t.integer('partition').notNullable()
    t.bigInteger('next_offset').notNullable()
    t.datetime('changed_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3))
    t.primary(['consumer_group', 'topic', 'partition'])
  })

  // Messages to publish, written in the same transaction as the state change that causes them.
  await knex.schema.createTable('outbox', (t) => {
    t.bigIncrements('id').primary()
    t.string('topic', 200).notNullable()
    t.string('message_key', 200).nullable()
    t.text('payload', 'mediumtext').notNullable()
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3))
    t.datetime('published_at', { precision: 3 }).nullable()
    t.index(['published_at', 'id'])
  })

  // Every operator action, with who did it and what they sent.
  await knex.schema.createTable('audit_log', (t) => {
    t.bigIncrements('id').primary()
    t.string('actor', 128).notNullable()
    t.string('action', 80).notNullable()
    t.string('target', 200).nullable()
    t.json('detail').nullable()
    t.datetime('created_at', { precision: 3 }).notNullable().defaultTo(knex.fn.now(3))
    t.index(['action', 'created_at'])
  })
}

export async function down(knex: Knex): Promise<void> {
  for (const table of [
    'audit_log', 'outbox', 'consumed_offset', 'funds_movement', 'transfer_state_change', 'transfer',
    'journal_line', 'journal_entry', 'settlement_window_state_change', 'settlement_window',
    'settlement_model', 'participant_endpoint', 'participant_limit', 'account', 'participant', 'currency',
  ]) {
    await knex.schema.dropTableIfExists(table)
  }
}
