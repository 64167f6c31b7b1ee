// Settlement windows and settlements as Mojaloop's central-settlement API shows them (money as strings).
import type { Knex } from 'knex'
import { formatAmount } from '../../ledger/domain/money.ts'
import type { WindowRow } from '../../ledger/store/settlement-windows-admin.ts'
import type { SettlementAccountTable, SettlementWindowTable } from '../../ledger/store/ledger-tables.ts'

export async function windowView(q: Knex, w: WindowRow) {
  const currencies = await q('journal_entry').where({ settlement_window_id: w.id, kind: 'TRANSFER_COMMIT' }).distinct('currency').pluck('currency')
  return {
    settlementWindowId: Number(w.id), reason: w.reason, state: w.state, createdDate: w.created_at, changedDate: w.changed_at,
    content: currencies.map((currencyId: string) => ({ ledgerAccountType: 'POSITION', currencyId, state: w.state })),
  }
}

/** A settlement account as the central-settlement API shows it. */
interface SettlementAccountView {
  id: number
  state: string
  reason: string | null
  externalReference: string | null
  changedDate: Date
  netSettlementAmount: { amount: string; currency: string }
}

export async function settlementView(q: Knex | Knex.Transaction, id: string) {
  const s = await q('settlement').where({ id }).first()
  if (!s) return undefined
  const windows: SettlementWindowTable[] = await q('settlement_window as w').join('settlement_window_link as l', 'l.settlement_window_id', 'w.id').where('l.settlement_id', id).select('w.*')
  const accounts = await q<SettlementAccountTable>('settlement_account').where({ settlement_id: id }).orderBy(['participant_id', 'account_id'])
  const byParticipant = new Map<number, SettlementAccountView[]>()
  for (const a of accounts) {
    const list = byParticipant.get(a.participant_id) ?? []
    list.push({
      id: a.account_id, state: a.state, reason: a.reason, externalReference: a.external_reference, changedDate: a.changed_at,
      netSettlementAmount: { amount: formatAmount(a.net_amount), currency: a.currency },
    })
    byParticipant.set(a.participant_id, list)
  }
  return {
    id: Number(s.id), state: s.state, reason: s.reason, createdDate: s.created_at, changedDate: s.changed_at,
    settlementWindows: windows.map((w) => ({ id: Number(w.id), state: w.state, reason: w.reason, createdDate: w.created_at, changedDate: w.changed_at })),
    participants: [...byParticipant].map(([participantId, list]) => ({ id: participantId, accounts: list })),
  }
}
