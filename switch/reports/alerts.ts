// Alerts for operators and regulators: participants near their net debit cap (position plus reservations
// at a configured share of it or more) and participants whose failure rate over the last hour jumped (at
// a configured rate or more, and a configured factor above their rate over the 24 hours before, once
// enough of their transfers ended). Read-only queries; the web view shows them on every page load.
import type { Db } from '../../ledger/store/db.ts'
import { formatAmount, ledgerDecimal } from '../../ledger/domain/money.ts'

export interface AlertRules {
  readonly capShare_percent: number
  readonly failureRate_percent_min: number
  readonly failureRateJump_factor: number
  readonly endedTransfers_min: number
}

export type Alert =
  | { kind: 'cap'; participant: string; currency: string; position: string; reserved: string; netDebitCap: string; capUsedPercent: string }
  | { kind: 'failures'; participant: string; lastHourEnded: number; lastHourFailed: number; lastHourPercent: string; dayBeforePercent: string }

export async function alerts(db: Db, rules: AlertRules): Promise<Alert[]> {
  return [...(await capAlerts(db, rules)), ...(await failureAlerts(db, rules))]
}

async function capAlerts(db: Db, rules: AlertRules): Promise<Alert[]> {
  const rows: { name: string; currency: string; value: string; reserved_value: string; ndc: string }[] = await db('account as a').join('participant as p', 'p.id', 'a.participant_id')
    .join('participant_limit as l', function () { this.on('l.account_id', 'a.id').andOnVal('l.type', 'NET_DEBIT_CAP') })
    .where({ 'a.type': 'POSITION', 'p.is_active': true }).andWhere('l.value', '>', 0)
    .andWhereRaw('(a.value + a.reserved_value) * 100 >= l.value * ?', [rules.capShare_percent])
    .orderBy(['p.name', 'a.currency']).select('p.name', 'a.currency', 'a.value', 'a.reserved_value', 'l.value as ndc')
  return rows.map((r) => ({
    kind: 'cap', participant: r.name, currency: r.currency, position: formatAmount(r.value), reserved: formatAmount(r.reserved_value), netDebitCap: formatAmount(r.ndc),
    capUsedPercent: ledgerDecimal(r.value).plus(ledgerDecimal(r.reserved_value)).dividedBy(ledgerDecimal(r.ndc)).times(100).toDecimalPlaces(1).toFixed(1),
  }))
}

async function failureAlerts(db: Db, rules: AlertRules): Promise<Alert[]> {
  // Each ended transfer counts for its payer and its payee; `recent`: ended in the last hour.
  const rows: { participant: string; recent_ended: string | number; recent_failed: string | number; before_ended: string | number; before_failed: string | number }[] = (await db.raw(`
    SELECT participant,
      SUM(recent) AS recent_ended, SUM(recent AND failed) AS recent_failed, SUM(NOT recent) AS before_ended, SUM(NOT recent AND failed) AS before_failed
    FROM (
      SELECT payer_fsp AS participant, completed_at >= NOW(3) - INTERVAL 1 HOUR AS recent, state <> 'COMMITTED' AS failed FROM transfer
        WHERE state IN ('COMMITTED', 'ABORTED', 'EXPIRED') AND completed_at >= NOW(3) - INTERVAL 25 HOUR
      UNION ALL
      SELECT payee_fsp, completed_at >= NOW(3) - INTERVAL 1 HOUR, state <> 'COMMITTED' FROM transfer
        WHERE state IN ('COMMITTED', 'ABORTED', 'EXPIRED') AND completed_at >= NOW(3) - INTERVAL 25 HOUR
    ) ended GROUP BY participant ORDER BY participant`))[0]
  const out: Alert[] = []
  for (const r of rows) {
    const recentEnded = Number(r.recent_ended), recentFailed = Number(r.recent_failed), beforeEnded = Number(r.before_ended), beforeFailed = Number(r.before_failed)
    if (recentEnded < rules.endedTransfers_min) continue
    // Rates compared as fractions cross-multiplied: whole numbers only.
    const atMinimum = recentFailed * 100 >= rules.failureRate_percent_min * recentEnded
    const jumped = beforeEnded === 0 ? recentFailed > 0 : recentFailed * beforeEnded >= rules.failureRateJump_factor * beforeFailed * recentEnded && recentFailed * beforeEnded > beforeFailed * recentEnded
    if (!atMinimum || !jumped) continue
    out.push({ kind: 'failures', participant: r.participant, lastHourEnded: recentEnded, lastHourFailed: recentFailed, lastHourPercent: percent(recentFailed, recentEnded), dayBeforePercent: percent(beforeFailed, beforeEnded) })
  }
  return out
}

function percent(part: number, whole: number): string {
  return whole === 0 ? '0.0' : ((Math.round((part * 1000) / whole)) / 10).toFixed(1)
}
