// Funds out move the settlement account's value at reserve, as central-ledger does, with the other side on
// a hub clearing account until commit or abort (ledger/store/funds.ts). This gives every hub reconciliation
// account its clearing account, and moves funds out still RESERVED from reserved_value to that scheme.
// Self-contained SQL: it must keep working whatever later code does.
import type { Knex } from 'knex'

const MIGRATED_BY = 'migration 20261125_0001'

export async function up(knex: Knex): Promise<void> {
  const reconciliations = await knex('account as a').join('participant as p', 'p.id', 'a.participant_id')
    .where({ 'p.is_hub': true, 'a.type': 'HUB_RECONCILIATION' }).select('a.participant_id', 'a.currency')
  for (const r of reconciliations) {
    await knex('account').insert({ participant_id: r.participant_id, currency: r.currency, type: 'HUB_FUNDS_OUT_CLEARING' })
      .onConflict(['participant_id', 'currency', 'type']).ignore()
  }
  const reserved = await knex('funds_movement').where({ direction: 'OUT', state: 'RESERVED' }).select('id', 'account_id', 'amount', 'currency')
  for (const m of reserved) {
    const clearing = await knex('account as a').join('participant as p', 'p.id', 'a.participant_id')
      .where({ 'p.is_hub': true, 'a.type': 'HUB_FUNDS_OUT_CLEARING', 'a.currency': m.currency }).select('a.id').first()
    if (!clearing) throw new Error(`funds out ${m.id} is RESERVED in ${m.currency}, where the hub has no reconciliation account`)
    const [entryId] = await knex('journal_entry').insert({ kind: 'FUNDS_OUT_RESERVE', reference: m.id, currency: m.currency, created_by: MIGRATED_BY })
    await knex('journal_line').insert([
      { entry_id: entryId, account_id: m.account_id, amount: m.amount },
      { entry_id: entryId, account_id: clearing.id, amount: knex.raw('-?', [m.amount]) },
    ])
    await knex('account').where({ id: m.account_id }).update({ value: knex.raw('value + ?', [m.amount]), reserved_value: knex.raw('reserved_value - ?', [m.amount]) })
    await knex('account').where({ id: clearing.id }).update({ value: knex.raw('value - ?', [m.amount]) })
  }
}

/** Puts funds out still RESERVED back on reserved_value; completed ones keep their entries (and the clearing accounts stay). */
export async function down(knex: Knex): Promise<void> {
  const entries = await knex('journal_entry as e').join('funds_movement as m', 'm.id', 'e.reference')
    .where({ 'e.kind': 'FUNDS_OUT_RESERVE', 'm.state': 'RESERVED' }).select('e.id', 'm.account_id', 'm.amount')
  for (const e of entries) {
    await knex('account').where({ id: e.account_id }).update({ value: knex.raw('value - ?', [e.amount]), reserved_value: knex.raw('reserved_value + ?', [e.amount]) })
    const clearing = await knex('journal_line').where({ entry_id: e.id }).whereNot({ account_id: e.account_id }).first()
    await knex('account').where({ id: clearing.account_id }).update({ value: knex.raw('value + ?', [e.amount]) })
    await knex('journal_line').where({ entry_id: e.id }).delete()
    await knex('journal_entry').where({ id: e.id }).delete()
  }
}
