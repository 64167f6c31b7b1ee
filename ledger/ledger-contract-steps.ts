// What the ledger contracts share: the implementation's set-up (LedgerUnderTest, not part of the port) and
// the steps they drive the port with, as the position handler and the admin API drive it.
import type { Ledger, LedgerTx, TransferRow } from './ledger-port.ts'
import { applyPositionBatch, type PositionAccount, type PositionOp, type PositionResult } from './domain/position-batch.ts'
import { fromUnits, toUnits } from './domain/money.ts'

export const CONTRACT_HUB_NAME = 'Hub'
export type HubAccountType = 'HUB_RECONCILIATION' | 'HUB_FUNDS_OUT_CLEARING' | 'HUB_MULTILATERAL_SETTLEMENT'

export interface ContractDfsp {
  name: string
  participantId: number
  position: number
  settlement: number
}

export interface SettlementModelInput {
  name: string
  currency: string | null
  granularity: 'GROSS' | 'NET'
  delay: 'IMMEDIATE' | 'DEFERRED'
  liquidityCheck: boolean
}

/** A ledger under test and the set-up its implementation offers (not part of the port). */
export interface LedgerUnderTest {
  ledger: Ledger
  /** The hub's HUB_RECONCILIATION account in the currency (created once per currency). */
  hubReconciliation(currency: string): Promise<number>
  /** The hub's (participant CONTRACT_HUB_NAME) account of this type in the currency, created once. */
  hubAccount(currency: string, type: HubAccountType): Promise<number>
  /** A DFSP with POSITION and SETTLEMENT accounts in the currency; ndc as a decimal string. */
  addDfsp(name: string, currency: string, ndc?: string): Promise<ContractDfsp>
  addSettlementModel(model: SettlementModelInput): Promise<void>
  close(): Promise<void>
}

let names = 0
/** Participant names unique within a run (MariaDB keeps one database per test file). */
export const unique = (prefix: string) => `${prefix}${++names}`.slice(0, 30)

export async function pair(t: LedgerUnderTest, currency: string, ndc: string, fundsIn: string): Promise<{ payer: ContractDfsp; payee: ContractDfsp }> {
  const payer = await t.addDfsp(unique('payer'), currency, ndc)
  const payee = await t.addDfsp(unique('payee'), currency, ndc)
  if (toUnits(fundsIn) > 0n) {
    const hub = await t.hubReconciliation(currency)
    await t.ledger.transaction((tx) => tx.postJournalEntries([payer, payee].map((d) => ({
      kind: 'FUNDS_IN', reference: unique(`in-${d.name}-`), currency, createdBy: 'contract',
      lines: [{ accountId: d.settlement, amount: `-${fundsIn}` }, { accountId: hub, amount: fundsIn }],
    }))))
  }
  return { payer, payee }
}

export const reserve = (payer: ContractDfsp, amount: string): PositionOp => ({ kind: 'reserve', payer: payer.position, amount: toUnits(amount) })
export const code = (r: PositionResult) => (r.ok ? 'ok' : r.code)

/** One position batch as the position handler runs it. */
export async function positions(ledger: Ledger, dfsps: readonly ContractDfsp[], currency: string, ops: readonly PositionOp[]): Promise<PositionResult[]> {
  return ledger.transaction(async (tx) => {
    const ndcs = await tx.netDebitCaps(dfsps.map((d) => d.position))
    const checked = await tx.liquidityChecked([currency])
    const locked = await tx.lockAccounts(dfsps.flatMap((d) => [d.position, d.settlement]))
    const accounts = new Map<number, PositionAccount>()
    for (const d of dfsps) {
      const a = locked.get(d.position)!
      const s = locked.get(d.settlement)!
      accounts.set(d.position, { id: a.id, value: a.value, reserved: a.reserved, ndc: ndcs.get(a.id), liquidity: checked.get(currency) ? -(s.value + s.reserved) : undefined })
    }
    const results = applyPositionBatch(accounts, ops)
    await tx.writeAccounts(accounts.values())
    return results
  })
}

export async function balance(ledger: Ledger, id: number): Promise<{ value: string; reserved: string }> {
  const a = (await ledger.transaction((tx: LedgerTx) => tx.lockAccounts([id]))).get(id)!
  return { value: fromUnits(a.value).toString(), reserved: fromUnits(a.reserved).toString() }
}

export async function sum(ledger: Ledger, ids: readonly number[]): Promise<bigint> {
  const accounts = await ledger.transaction((tx) => tx.lockAccounts(ids))
  return [...accounts.values()].reduce((total, a) => total + a.value, 0n)
}

let transfers = 0
export function transfer(payer: ContractDfsp, payee: ContractDfsp, amount: string, expiration: Date): TransferRow {
  return {
    id: `00000000-0000-4000-8000-${String(++transfers).padStart(6, '0')}${String(names).padStart(6, '0')}`, payer_fsp: payer.name, payee_fsp: payee.name,
    payer_account_id: payer.position, payee_account_id: payee.position, amount, currency: 'USD', ilp_condition: 'c'.repeat(43), ilp_packet: 'packet',
    expiration, state: 'RECEIVED', prepare_hash: 'h'.repeat(64), fulfil_hash: null, fulfilment: null, error_code: null, error_description: null,
    extension_list: null, settlement_window_id: null, completed_at: null, fspiop_version: '1.1', payer_accept_version: null, payee_wants_patch: false,
  }
}

/** Runs one contract test on a fresh ledger from the factory, closing it afterwards. */
export function withLedger(factory: () => Promise<LedgerUnderTest>) {
  return async (work: (t: LedgerUnderTest) => Promise<void>): Promise<void> => {
    const t = await factory()
    try {
      await work(t)
    } finally {
      await t.close()
    }
  }
}
