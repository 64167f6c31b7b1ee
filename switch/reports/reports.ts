// Reports for operators and regulators, read-only queries over the ledger. Each returns rows of plain
// strings and numbers (money as strings), so they serve JSON and CSV alike.
import type { Db } from '../../ledger/store/db.ts'
import { formatAmount, fromUnits, ledgerDecimal, toUnits } from '../../ledger/domain/money.ts'
import { windowNets } from '../../ledger/store/settlement-windows-admin.ts'
import type { ParticipantTable, SettlementAccountTable } from '../../ledger/store/ledger-tables.ts'

export type ReportRow = Record<string, string | number | null>

/** A journal line on a DFSP's account, as the statement reads it. */
interface StatementLine { created_at: Date; kind: string; reference: string; type: string; currency: string; amount: string; settlement_window_id: string | null }
/** A position account with its net debit cap and its settlement account's value. */
export interface PositionLine { name: string; is_active: number | boolean; currency: string; value: string; reserved_value: string; ndc: string | null; settlement: string | null }

/** Per window: each DFSP's net position change per currency and its transfer count. */
export async function windowReport(db: Db, windowId: string): Promise<ReportRow[]> {
  const nets = await windowNets(db, [windowId])
  const names = await participantNames(db)
  return nets.map((n) => ({ window: Number(windowId), participant: names.get(n.participantId) ?? String(n.participantId), currency: n.currency, netPosition: formatAmount(n.net), transfers: n.transfers }))
}

/** Per settlement: each DFSP's net settlement amount per currency and its state. */
export async function settlementReport(db: Db, settlementId: string): Promise<ReportRow[]> {
  const names = await participantNames(db)
  const rows: SettlementAccountTable[] = await db('settlement_account').where({ settlement_id: settlementId }).orderBy(['currency', 'participant_id'])
  return rows.map((r) => ({
    settlement: Number(settlementId), participant: names.get(r.participant_id) ?? String(r.participant_id), currency: r.currency,
    netSettlementAmount: formatAmount(r.net_amount), direction: directionOf(r.net_amount),
    state: r.state, externalReference: r.external_reference,
  }))
}

/** A DFSP's statement: every journal line on its accounts, oldest first, with the running balance. */
export async function statement(db: Db, participant: string, from?: string, to?: string): Promise<ReportRow[]> {
  const query = db('journal_line as l').join('journal_entry as e', 'e.id', 'l.entry_id').join('account as a', 'a.id', 'l.account_id').join('participant as p', 'p.id', 'a.participant_id')
    .where('p.name', participant).orderBy('e.id').select('e.created_at', 'e.kind', 'e.reference', 'a.type', 'a.currency', 'l.amount', 'e.settlement_window_id')
  if (from) query.where('e.created_at', '>=', new Date(from))
  if (to) query.where('e.created_at', '<=', new Date(to))
  const running = new Map<string, bigint>()
  const lines: StatementLine[] = await query
  return lines.map((r) => {
    const key = `${r.type}:${r.currency}`
    const balance = (running.get(key) ?? 0n) + toUnits(r.amount)
    running.set(key, balance)
    return {
      time: r.created_at.toISOString(), kind: r.kind, reference: r.reference, account: r.type, currency: r.currency,
      amount: formatAmount(r.amount), balance: formatAmount(fromUnits(balance)),
      window: r.settlement_window_id === null ? null : Number(r.settlement_window_id),
    }
  })
}

/** Hub totals per currency: funds held, positions, reserved, and the participants holding them. */
export async function hubTotals(db: Db): Promise<ReportRow[]> {
  const rows = await db('account').groupBy('currency', 'type').sum({ value: 'value' }).sum({ reserved: 'reserved_value' }).count({ accounts: '*' })
    .select<{ currency: string; type: string; value: string; reserved: string; accounts: number | string }[]>('currency', 'type').orderBy(['currency', 'type'])
  return rows.map((r) => ({ currency: r.currency, account: r.type, accounts: Number(r.accounts), value: formatAmount(String(r.value)), reserved: formatAmount(String(r.reserved)) }))
}

/** Committed transfers per hour and currency: count and volume. */
export async function volumes(db: Db, hours = 24): Promise<ReportRow[]> {
  const rows = await db('transfer').where({ state: 'COMMITTED' }).andWhere('completed_at', '>=', db.raw('NOW(3) - INTERVAL ? HOUR', [hours]))
    .count({ transfers: '*' }).sum({ volume: 'amount' })
    .select<{ hour: string; currency: string; transfers: number | string; volume: string }[]>(db.raw("DATE_FORMAT(completed_at, '%Y-%m-%dT%H:00:00Z') AS hour"), 'currency')
    .groupBy('hour', 'currency').orderBy('hour')
  return rows.map((r) => ({ hour: r.hour, currency: r.currency, transfers: Number(r.transfers), volume: formatAmount(String(r.volume)) }))
}

/** Participants with their positions against their net debit caps. */
export async function positionsReport(db: Db): Promise<ReportRow[]> {
  const rows: PositionLine[] = await db('account as a').join('participant as p', 'p.id', 'a.participant_id').leftJoin('participant_limit as l', function () { this.on('l.account_id', 'a.id').andOnVal('l.type', 'NET_DEBIT_CAP') })
    .leftJoin('account as s', function () { this.on('s.participant_id', 'a.participant_id').andOn('s.currency', 'a.currency').andOnVal('s.type', 'SETTLEMENT') })
    .where('a.type', 'POSITION').orderBy(['p.name', 'a.currency'])
    .select('p.name', 'p.is_active', 'a.currency', 'a.value', 'a.reserved_value', 'l.value as ndc', 's.value as settlement')
  return rows.map(positionRow)
}

/** One position account as the positions report shows it: money as strings, the cap used in percent. */
export function positionRow(r: PositionLine): ReportRow {
  return {
    participant: r.name, active: r.is_active ? 'yes' : 'no', currency: r.currency, position: formatAmount(r.value), reserved: formatAmount(r.reserved_value),
    netDebitCap: r.ndc === null ? null : formatAmount(r.ndc), funds: r.settlement === null ? null : formatAmount(ledgerDecimal(r.settlement).negated()),
    capUsedPercent: r.ndc && !ledgerDecimal(r.ndc).isZero() ? ledgerDecimal(r.value).plus(ledgerDecimal(r.reserved_value)).dividedBy(ledgerDecimal(r.ndc)).times(100).toDecimalPlaces(1).toNumber() : null,
  }
}

function directionOf(net: string): 'pays' | 'receives' | 'none' {
  const d = ledgerDecimal(net)
  return d.isZero() ? 'none' : d.isPositive() ? 'pays' : 'receives'
}

async function participantNames(db: Db): Promise<Map<number, string>> {
  const participants: Pick<ParticipantTable, 'id' | 'name'>[] = await db('participant').select('id', 'name')
  return new Map(participants.map((p) => [p.id, p.name]))
}

export function toCsv(rows: readonly ReportRow[]): string {
  if (rows.length === 0) return ''
  const columns = Object.keys(rows[0]!)
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? '' : String(v)
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
  }
  return `${[columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\n')}\n`
}
