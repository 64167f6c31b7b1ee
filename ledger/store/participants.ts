// Participants (DFSPs and the hub) and their accounts, as the admin API and the caches read them.
import type { Knex } from 'knex'
import type { AccountTable, ParticipantTable } from './ledger-tables.ts'

export { ACCOUNT_TYPES, LEDGER_ACCOUNT_TYPES, type AccountType } from './ledger-tables.ts'
import type { AccountType } from './ledger-tables.ts'
export const HUB_ACCOUNT_TYPES: readonly AccountType[] = ['HUB_RECONCILIATION', 'HUB_MULTILATERAL_SETTLEMENT']

export interface ParticipantRow {
  id: number
  name: string
  isActive: boolean
  isHub: boolean
  createdAt: Date
  createdBy: string
}

export interface AccountRow {
  id: number
  participantId: number
  currency: string
  type: AccountType
  isActive: boolean
  value: string
  reservedValue: string
  changedAt: Date
  createdAt: Date
}

type Q = Knex | Knex.Transaction

export async function findParticipant(q: Q, name: string, opts: { forUpdate?: boolean; forShare?: boolean } = {}): Promise<ParticipantRow | undefined> {
  let query = q<ParticipantTable>('participant').where({ name }).first()
  if (opts.forUpdate && 'isTransaction' in q) query = query.forUpdate()
  else if (opts.forShare && 'isTransaction' in q) query = query.forShare()
  const row = await query
  return row ? toParticipant(row) : undefined
}

export async function listParticipants(q: Q): Promise<ParticipantRow[]> {
  return (await q<ParticipantTable>('participant').orderBy('id')).map(toParticipant)
}

export async function insertParticipant(trx: Knex.Transaction, p: { name: string; isHub: boolean; createdBy: string }): Promise<ParticipantRow> {
  await trx('participant').insert({ name: p.name, is_hub: p.isHub, created_by: p.createdBy })
  return (await findParticipant(trx, p.name))!
}

/**
 * The participant of that name, created if missing. Inserts first (a taken name fails on the unique key)
 * instead of a locking read of a missing name, whose gap lock would deadlock two operators creating
 * different participants at once. An existing row is read with a shared lock (the one the failed insert
 * already holds: asking for an exclusive one would deadlock two such requests); unique keys on the rows
 * the caller adds next (accounts) settle races between them.
 */
export async function claimParticipant(trx: Knex.Transaction, p: { name: string; isHub: boolean; createdBy: string }): Promise<{ participant: ParticipantRow; created: boolean }> {
  try {
    return { participant: await insertParticipant(trx, p), created: true }
  } catch (error) {
    if (!isDuplicateKey(error)) throw error
  }
  return { participant: (await findParticipant(trx, p.name, { forShare: true }))!, created: false }
}

export function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: string }).code === 'ER_DUP_ENTRY'
}

export async function setParticipantActive(trx: Knex.Transaction, id: number, isActive: boolean): Promise<void> {
  await trx('participant').where({ id }).update({ is_active: isActive })
}

export async function accountsOf(q: Q, participantIds: readonly number[]): Promise<AccountRow[]> {
  if (participantIds.length === 0) return []
  return (await q<AccountTable>('account').whereIn('participant_id', participantIds).orderBy('id')).map(toAccount)
}

export async function findAccount(q: Q, where: { participantId: number; currency: string; type: AccountType }): Promise<AccountRow | undefined> {
  const row = await q<AccountTable>('account').where({ participant_id: where.participantId, currency: where.currency, type: where.type }).first()
  return row ? toAccount(row) : undefined
}

export async function findAccountById(q: Q, id: number, opts: { forUpdate?: boolean } = {}): Promise<AccountRow | undefined> {
  let query = q<AccountTable>('account').where({ id }).first()
  if (opts.forUpdate) query = query.forUpdate()
  const row = await query
  return row ? toAccount(row) : undefined
}

export async function insertAccount(trx: Knex.Transaction, a: { participantId: number; currency: string; type: AccountType }): Promise<number> {
  const [id] = await trx('account').insert({ participant_id: a.participantId, currency: a.currency, type: a.type })
  return Number(id)
}

export async function setAccountActive(trx: Knex.Transaction, id: number, isActive: boolean): Promise<void> {
  await trx('account').where({ id }).update({ is_active: isActive, changed_at: trx.fn.now(3) })
}

export async function isKnownCurrency(q: Q, code: string): Promise<boolean> {
  return Boolean(await q('currency').where({ code }).first())
}

function toParticipant(row: ParticipantTable): ParticipantRow {
  return { id: row.id, name: row.name, isActive: Boolean(row.is_active), isHub: Boolean(row.is_hub), createdAt: row.created_at, createdBy: row.created_by }
}

function toAccount(row: AccountTable): AccountRow {
  return {
    id: row.id, participantId: row.participant_id, currency: row.currency, type: row.type, isActive: Boolean(row.is_active),
    value: row.value, reservedValue: row.reserved_value, changedAt: row.changed_at, createdAt: row.created_at,
  }
}
