// Net debit caps on position accounts, and DFSP callback endpoints (URL templates).
import type { Knex } from 'knex'
import { toDbDecimal, type Decimal } from '../domain/money.ts'

type Q = Knex | Knex.Transaction

export interface LimitRow {
  accountId: number
  currency: string
  type: string
  value: string
  alarmPercentage: number
}

/** A limit joined to its account, as the queries below select it. */
interface LimitLine { account_id: number; currency: string; type: string; value: string; alarm_percentage: number }

export async function limitsOf(q: Q, participantId: number, filter: { currency?: string; type?: string } = {}): Promise<LimitRow[]> {
  const query = q('participant_limit as l')
    .join('account as a', 'a.id', 'l.account_id')
    .where('a.participant_id', participantId)
    .select('l.account_id', 'a.currency', 'l.type', 'l.value', 'l.alarm_percentage')
    .orderBy(['a.currency', 'l.type'])
  if (filter.currency) query.andWhere('a.currency', filter.currency)
  if (filter.type) query.andWhere('l.type', filter.type)
  const rows: LimitLine[] = await query
  return rows.map((r) => ({ accountId: r.account_id, currency: r.currency, type: r.type, value: r.value, alarmPercentage: r.alarm_percentage }))
}

/** Limits of every active participant on its active POSITION accounts (GET /participants/limits). */
export async function limitsOfAll(q: Q, filter: { currency?: string; type?: string } = {}): Promise<(LimitRow & { name: string })[]> {
  const query = q('participant_limit as l')
    .join('account as a', 'a.id', 'l.account_id')
    .join('participant as p', 'p.id', 'a.participant_id')
    .where({ 'p.is_active': true, 'a.is_active': true, 'a.type': 'POSITION' })
    .select('p.name', 'l.account_id', 'a.currency', 'l.type', 'l.value', 'l.alarm_percentage')
    .orderBy(['p.name', 'a.currency', 'l.type'])
  if (filter.currency) query.andWhere('a.currency', filter.currency)
  if (filter.type) query.andWhere('l.type', filter.type)
  const rows: (LimitLine & { name: string })[] = await query
  return rows.map((r) => ({ name: r.name, accountId: r.account_id, currency: r.currency, type: r.type, value: r.value, alarmPercentage: r.alarm_percentage }))
}

export async function upsertLimit(trx: Knex.Transaction, limit: { accountId: number; type: string; value: Decimal; alarmPercentage: number; changedBy: string }): Promise<void> {
  await trx('participant_limit')
    .insert({ account_id: limit.accountId, type: limit.type, value: toDbDecimal(limit.value), alarm_percentage: limit.alarmPercentage, changed_by: limit.changedBy })
    .onConflict(['account_id', 'type'])
    .merge(['value', 'alarm_percentage', 'changed_by', 'changed_at'])
}

export interface EndpointRow {
  type: string
  value: string
}

export async function endpointsOf(q: Q, participantId: number): Promise<EndpointRow[]> {
  return (await q<EndpointRow & { participant_id: number }>('participant_endpoint').where({ participant_id: participantId }).orderBy('type')).map((r) => ({ type: r.type, value: r.value }))
}

export async function upsertEndpoint(trx: Knex.Transaction, e: { participantId: number; type: string; value: string; changedBy: string }): Promise<void> {
  await trx('participant_endpoint')
    .insert({ participant_id: e.participantId, type: e.type, value: e.value, changed_by: e.changedBy })
    .onConflict(['participant_id', 'type'])
    .merge(['value', 'changed_by', 'changed_at'])
}
