// The audit log: who did what to which participant or account, with what they sent, as a hash chain
// (ledger/domain/audit-chain.ts). An entry is appended in the transaction of the change it records, after
// locking the chain's head row: appends are serialized, so the chain never forks, and an entry exists
// exactly when its change was committed.
import type { Knex } from 'knex'
import { canonicalJson, createChainWalker, entryHash, type ChainHead, type ChainReport, type ChainRow } from '../domain/audit-chain.ts'
import type { AuditRecord } from '../funds-settlement-port.ts'

export type { AuditRecord }

export interface AuditEntry {
  id: string
  seq: string
  actor: string
  action: string
  target: string | null
  detail: unknown
  createdAt: string
  prevHash: string
  hash: string
}

/** The one row of audit_chain_head. */
const HEAD_ID = 1
/** Column sizes of audit_log (characters). */
const ACTOR_LENGTH_MAX = 128
const ACTION_LENGTH_MAX = 80
const TARGET_LENGTH_MAX = 200
/** Rows read per query while verifying. */
const VERIFY_PAGE_ROWS = 1_000
export const AUDIT_PAGE_ROWS_MAX = 500

/** Appends to the chain; in the caller's transaction when given one, else in a transaction of its own. */
export async function recordAudit(q: Knex | Knex.Transaction, record: AuditRecord): Promise<AuditEntry> {
  if ((q as Knex.Transaction).isTransaction) return appendEntry(q as Knex.Transaction, record)
  return q.transaction((trx) => appendEntry(trx, record))
}

async function appendEntry(trx: Knex.Transaction, record: AuditRecord): Promise<AuditEntry> {
  const head = await trx('audit_chain_head').where({ id: HEAD_ID }).forUpdate().first()
  if (!head) throw new Error('audit: the chain head row is missing (run the migrations)')
  const detail = record.detail === undefined ? null : JSON.parse(JSON.stringify(record.detail))
  const fields = {
    seq: BigInt(head.seq) + 1n,
    actor: clip(record.actor, ACTOR_LENGTH_MAX),
    action: clip(record.action, ACTION_LENGTH_MAX),
    target: record.target === undefined ? null : clip(record.target, TARGET_LENGTH_MAX),
    detail,
    createdAt: new Date(), // milliseconds, as DATETIME(3) keeps them
  }
  const hash = entryHash(head.hash, fields)
  const [id] = await trx('audit_log').insert({
    seq: fields.seq.toString(), actor: fields.actor, action: fields.action, target: fields.target,
    detail: detail === null ? null : canonicalJson(detail), created_at: fields.createdAt, prev_hash: head.hash, hash,
  })
  await trx('audit_chain_head').where({ id: HEAD_ID }).update({ seq: fields.seq.toString(), hash })
  return entryView({ ...fields, id: BigInt(id), prevHash: head.hash, hash })
}

/** Characters, not UTF-16 units, as the column counts them. */
function clip(text: string, max: number): string {
  const chars = Array.from(text)
  return chars.length > max ? chars.slice(0, max).join('') : text
}

export async function chainHead(q: Knex | Knex.Transaction): Promise<ChainHead | undefined> {
  const head = await q('audit_chain_head').where({ id: HEAD_ID }).first()
  return head ? { seq: BigInt(head.seq), hash: head.hash } : undefined
}

interface AuditRow {
  id: string | number
  seq: string | number
  actor: string
  action: string
  target: string | null
  detail: unknown // mysql2 parses MariaDB's JSON columns; a string where it does not
  created_at: Date
  prev_hash: string
  hash: string
}

export function chainRowOf(row: AuditRow): ChainRow {
  return {
    id: BigInt(row.id), seq: BigInt(row.seq), actor: row.actor, action: row.action, target: row.target,
    detail: typeof row.detail === 'string' ? JSON.parse(row.detail) : (row.detail ?? null),
    createdAt: row.created_at, prevHash: row.prev_hash, hash: row.hash,
  }
}

function entryView(row: ChainRow): AuditEntry {
  return {
    id: row.id.toString(), seq: row.seq.toString(), actor: row.actor, action: row.action, target: row.target,
    detail: row.detail, createdAt: row.createdAt.toISOString(), prevHash: row.prevHash, hash: row.hash,
  }
}

/** Walks the whole chain in seq order, a page at a time; see createChainWalker for what it names. */
export async function verifyAuditChain(q: Knex, anchor?: ChainHead): Promise<ChainReport> {
  const walker = createChainWalker(await chainHead(q), anchor)
  let after: string | number = 0
  for (;;) {
    const rows: AuditRow[] = await q('audit_log').where('seq', '>', after).orderBy('seq').limit(VERIFY_PAGE_ROWS)
    for (const row of rows) walker.add(chainRowOf(row))
    if (rows.length < VERIFY_PAGE_ROWS) break
    after = rows[rows.length - 1]!.seq
  }
  return walker.finish()
}

/** Newest first: the `limit` entries below `beforeSeq` (below the head when not given). */
export interface AuditFilter {
  actor?: string
  action?: string
  target?: string
}

export async function auditEntries(q: Knex, page: { beforeSeq?: string; limit: number } & AuditFilter): Promise<AuditEntry[]> {
  const query = q('audit_log').orderBy('seq', 'desc').limit(Math.min(page.limit, AUDIT_PAGE_ROWS_MAX))
  if (page.beforeSeq !== undefined) query.where('seq', '<', page.beforeSeq)
  for (const column of ['actor', 'action', 'target'] as const) if (page[column] !== undefined) query.where(column, page[column])
  return ((await query) as AuditRow[]).map((row) => entryView(chainRowOf(row)))
}
