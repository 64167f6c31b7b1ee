// The rows of the ledger's tables as the driver returns them (ledger/store/migrations; ledger/store/db.ts):
// INT columns as numbers, BIGINT and DECIMAL columns as strings (bigNumberStrings), booleans as 0/1.
import type { SettlementState } from '../domain/settlement.ts'

/** central-ledger's seeded ledgerAccountType names (seeds/ledgerAccountType.js). */
export const LEDGER_ACCOUNT_TYPES = ['POSITION', 'SETTLEMENT', 'HUB_RECONCILIATION', 'HUB_MULTILATERAL_SETTLEMENT', 'INTERCHANGE_FEE', 'INTERCHANGE_FEE_SETTLEMENT'] as const
/** Those, and the hub's clearing account that holds funds out between reserve and commit (ledger/store/funds.ts). */
export const ACCOUNT_TYPES = [...LEDGER_ACCOUNT_TYPES, 'HUB_FUNDS_OUT_CLEARING'] as const
export type AccountType = (typeof ACCOUNT_TYPES)[number]

export interface ParticipantTable {
  id: number
  name: string
  is_active: number | boolean
  is_hub: number | boolean
  created_by: string
  created_at: Date
}

export interface AccountTable {
  id: number
  participant_id: number
  currency: string
  type: AccountType
  is_active: number | boolean
  value: string
  reserved_value: string
  changed_at: Date
  created_at: Date
}

export interface SettlementModelTable {
  id: number
  name: string
  is_active: number | boolean
  settlement_granularity: 'GROSS' | 'NET'
  settlement_interchange: 'BILATERAL' | 'MULTILATERAL'
  settlement_delay: 'IMMEDIATE' | 'DEFERRED'
  currency: string | null
  require_liquidity_check: number | boolean
  ledger_account_type: AccountType
  settlement_account_type: AccountType
  auto_position_reset: number | boolean
  created_at: Date
}

export interface SettlementWindowTable {
  id: string
  state: string
  reason: string | null
  created_at: Date
  changed_at: Date
}

export interface SettlementTable {
  id: string
  settlement_model_id: number
  state: SettlementState
  reason: string | null
  created_by: string
  created_at: Date
  changed_at: Date
}

export interface SettlementAccountTable {
  settlement_id: string
  account_id: number
  participant_id: number
  currency: string
  net_amount: string
  state: SettlementState
  reason: string | null
  external_reference: string | null
  changed_at: Date
}

export interface SettlementWindowLinkTable {
  settlement_id: string
  settlement_window_id: string
}

export interface SettlementWindowContentTable {
  settlement_window_id: string
  currency: string
  settlement_id: string
}
