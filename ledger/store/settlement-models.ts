// Settlement models and the accounts they give participants (Mojaloop central-ledger's settlementModel):
// a model names a ledger account type (POSITION, INTERCHANGE_FEE) and the settlement account type it
// settles through (SETTLEMENT, INTERCHANGE_FEE_SETTLEMENT). Creating a model opens those accounts for
// the participants that hold its currency; a participant that takes up a currency later gets the accounts
// of every model for that currency (or of the default models, whose currency is null).
import type { Knex } from 'knex'
import type { SettlementModelTable } from './ledger-tables.ts'
import type { AccountType } from './participants.ts'

type Q = Knex | Knex.Transaction

export interface SettlementModel {
  name: string
  settlementGranularity: 'GROSS' | 'NET'
  settlementInterchange: 'BILATERAL' | 'MULTILATERAL'
  settlementDelay: 'IMMEDIATE' | 'DEFERRED'
  currency: string | null
  requireLiquidityCheck: boolean
  ledgerAccountType: AccountType
  settlementAccountType: AccountType
  autoPositionReset: boolean
}

export interface SettlementModelRow extends SettlementModel {
  id: number
  isActive: boolean
}

/** Every participant has these in each of its currencies, whatever the models say. */
const BASE_ACCOUNT_TYPES: readonly AccountType[] = ['POSITION', 'SETTLEMENT']

export async function listSettlementModels(q: Q): Promise<SettlementModelRow[]> {
  return (await q<SettlementModelTable>('settlement_model').orderBy('id')).map(toModel)
}

export async function findSettlementModel(q: Q, name: string): Promise<SettlementModelRow | undefined> {
  const row = await q<SettlementModelTable>('settlement_model').where({ name }).first()
  return row ? toModel(row) : undefined
}

/** The active model that already settles this ledger account type in this currency, if any. */
export async function coveringModel(q: Q, m: Pick<SettlementModel, 'ledgerAccountType' | 'currency'>): Promise<SettlementModelRow | undefined> {
  const row = await q<SettlementModelTable>('settlement_model').where({ ledger_account_type: m.ledgerAccountType, currency: m.currency, is_active: true }).first()
  return row ? toModel(row) : undefined
}

/** Inserts the model and opens its two account types for every non-hub participant holding its currency. */
export async function createSettlementModel(trx: Knex.Transaction, m: SettlementModel): Promise<void> {
  await trx('settlement_model').insert({
    name: m.name, settlement_granularity: m.settlementGranularity, settlement_interchange: m.settlementInterchange,
    settlement_delay: m.settlementDelay, currency: m.currency, require_liquidity_check: m.requireLiquidityCheck,
    ledger_account_type: m.ledgerAccountType, settlement_account_type: m.settlementAccountType, auto_position_reset: m.autoPositionReset,
  })
  const holders = trx<{ participant_id: number; currency: string }>('account as a').join('participant as p', 'p.id', 'a.participant_id').where('p.is_hub', false).distinct('a.participant_id', 'a.currency')
  if (m.currency !== null) holders.where('a.currency', m.currency)
  const rows = (await holders).flatMap((h) => [m.ledgerAccountType, m.settlementAccountType].map((type) => ({ participant_id: h.participant_id, currency: h.currency, type })))
  if (rows.length > 0) await trx('account').insert(rows).onConflict(['participant_id', 'currency', 'type']).ignore()
}

/**
 * The account types a participant opens when it takes up a currency: POSITION and SETTLEMENT, plus the
 * types of the models for that currency, or of the default models when none names the currency.
 */
export async function accountTypesForCurrency(q: Q, currency: string): Promise<AccountType[]> {
  const models = (await q<SettlementModelTable>('settlement_model').where({ is_active: true }).where((w) => w.where({ currency }).orWhereNull('currency'))).map(toModel)
  const specific = models.filter((model) => model.currency === currency)
  const applying = specific.length > 0 ? specific : models
  return [...new Set([...BASE_ACCOUNT_TYPES, ...applying.flatMap((model) => [model.ledgerAccountType, model.settlementAccountType])])]
}

function toModel(r: SettlementModelTable): SettlementModelRow {
  return {
    id: r.id, name: r.name, isActive: Boolean(r.is_active), settlementGranularity: r.settlement_granularity,
    settlementInterchange: r.settlement_interchange, settlementDelay: r.settlement_delay, currency: r.currency,
    requireLiquidityCheck: Boolean(r.require_liquidity_check), ledgerAccountType: r.ledger_account_type,
    settlementAccountType: r.settlement_account_type, autoPositionReset: Boolean(r.auto_position_reset),
  }
}
