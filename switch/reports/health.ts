// History and health per hour, for the scheme or one participant: transfers that ended (committed, failed
// by FSPIOP error code, the failure rate), prepare-to-final latency percentiles (latency-buckets.ts), and a
// participant's position hour by hour against its net debit cap. Data for charts: the page draws them.
import type { Db } from '../../ledger/store/db.ts'
import { formatAmount, fromUnits, toUnits } from '../../ledger/domain/money.ts'
import { percentileUpperBound_ms, type BucketCount } from './latency-buckets.ts'

export const HEALTH_HOURS_MAX = 24 * 31
const HOUR = "DATE_FORMAT(completed_at, '%Y-%m-%dT%H:00:00Z')"
/** Power-of-two bucket of the prepare-to-final time in ms (latency-buckets.ts). */
const LATENCY_BUCKET = 'IF(TIMESTAMPDIFF(MICROSECOND, created_at, completed_at) <= 1000, 0, CEIL(LOG2(TIMESTAMPDIFF(MICROSECOND, created_at, completed_at) / 1000)))'

export interface HealthHour {
  hour: string
  committed: number
  failed: number
  /** Failed of all that ended, in percent rounded to one decimal (a string, for display). */
  failureRatePercent: string
  failuresByCode: Record<string, number>
  latency_ms_p50: number | null
  latency_ms_p99: number | null
}

export async function transferHealth(db: Db, query: { hours: number; participant?: string }): Promise<HealthHour[]> {
  const ended = () => {
    const q = db('transfer').whereIn('state', ['COMMITTED', 'ABORTED', 'EXPIRED']).andWhere('completed_at', '>=', db.raw('NOW(3) - INTERVAL ? HOUR', [query.hours]))
    if (query.participant) q.andWhere((w) => { w.where('payer_fsp', query.participant!).orWhere('payee_fsp', query.participant!) })
    return q
  }
  const outcomes: { hour: string; state: string; error_code: string | null; transfers: number | string }[] = await ended()
    .select(db.raw(`${HOUR} AS hour`), 'state', 'error_code').count({ transfers: '*' }).groupBy('hour', 'state', 'error_code')
  const latencies: { hour: string; bucket: number | string; transfers: number | string }[] = await ended().where('state', 'COMMITTED')
    .select(db.raw(`${HOUR} AS hour`), db.raw(`${LATENCY_BUCKET} AS bucket`)).count({ transfers: '*' }).groupBy('hour', 'bucket')
  const hours = new Map<string, { committed: number; failed: number; failuresByCode: Record<string, number>; buckets: BucketCount[] }>()
  const at = (hour: string) => hours.get(hour) ?? hours.set(hour, { committed: 0, failed: 0, failuresByCode: {}, buckets: [] }).get(hour)!
  for (const o of outcomes) {
    const h = at(o.hour), n = Number(o.transfers)
    if (o.state === 'COMMITTED') h.committed += n
    else {
      h.failed += n
      const code = o.error_code ?? (o.state === 'EXPIRED' ? '3303' : 'none')
      h.failuresByCode[code] = (h.failuresByCode[code] ?? 0) + n
    }
  }
  for (const l of latencies) at(l.hour).buckets.push({ bucket: Number(l.bucket), transfers: Number(l.transfers) })
  return [...hours].sort(([a], [b]) => a.localeCompare(b)).map(([hour, h]) => ({
    hour, committed: h.committed, failed: h.failed, failuresByCode: h.failuresByCode,
    failureRatePercent: (Math.round((h.failed * 1000) / (h.committed + h.failed)) / 10).toFixed(1),
    latency_ms_p50: percentileUpperBound_ms(h.buckets, 0.5), latency_ms_p99: percentileUpperBound_ms(h.buckets, 0.99),
  }))
}

export interface PositionHistory {
  currency: string
  netDebitCap: string | null
  /** The position at the start of the period, then at the end of each hour in which it moved. */
  opening: string
  hours: { hour: string; position: string }[]
}

/** A participant's committed position hour by hour (from its journal), against its current net debit cap. */
export async function positionHistory(db: Db, query: { participant: string; currency: string; hours: number }): Promise<PositionHistory | undefined> {
  const account = await db('account as a').join('participant as p', 'p.id', 'a.participant_id')
    .leftJoin('participant_limit as l', function () { this.on('l.account_id', 'a.id').andOnVal('l.type', 'NET_DEBIT_CAP') })
    .where({ 'p.name': query.participant, 'a.currency': query.currency, 'a.type': 'POSITION' }).select('a.id', 'l.value as ndc').first()
  if (!account) return undefined
  const since = db.raw('NOW(3) - INTERVAL ? HOUR', [query.hours])
  const lines = () => db('journal_line as l').join('journal_entry as e', 'e.id', 'l.entry_id').where('l.account_id', account.id)
  const [before] = await lines().where('e.created_at', '<', since).sum({ sum: 'l.amount' }) as { sum: string | null }[]
  const moves = await lines().where('e.created_at', '>=', since).sum({ moved: 'l.amount' })
    .select<{ hour: string; moved: string }[]>(db.raw("DATE_FORMAT(e.created_at, '%Y-%m-%dT%H:00:00Z') AS hour")).groupBy('hour').orderBy('hour')
  let position = before?.sum === null || before?.sum === undefined ? 0n : toUnits(String(before.sum))
  const opening = formatAmount(fromUnits(position))
  return {
    currency: query.currency, netDebitCap: account.ndc === null ? null : formatAmount(account.ndc), opening,
    hours: moves.map((m) => {
      position += toUnits(String(m.moved))
      return { hour: m.hour, position: formatAmount(fromUnits(position)) }
    }),
  }
}
