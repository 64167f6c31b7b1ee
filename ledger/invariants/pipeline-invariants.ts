// Invariants of the transfer pipeline (shared/ARCHITECTURE.md §5), checked by SQL after a test has
// let the switch settle. I2 and I3 are in ledger-invariants.ts; I6 needs the DFSPs' own logs
// (partiesTold and deliveredOrDeadLettered below).
import type { Db } from '../store/db.ts'
import { canMove, type TransferState } from '../domain/transfer-state.ts'
import { LEDGER_INVARIANTS, type InvariantCheck } from './ledger-invariants.ts'
import type { MessageBus } from '../../switch/bus/message-bus.ts'

/** I1: nothing is left RESERVED past its expiration (plus the timeout scan's slack). */
export const noStuckTransfers = (slack_ms: number): InvariantCheck => async (db) => {
  const rows = await db('transfer').whereIn('state', ['RECEIVED', 'RESERVED']).andWhere('expiration', '<', db.raw('NOW(3) - INTERVAL ? MICROSECOND', [slack_ms * 1000])).select('id', 'state')
  return rows.map((r: any) => `transfer ${r.id} is still ${r.state} after its expiration`)
}

/** I4: no position account's exposure exceeds its net debit cap. */
export const withinNetDebitCap: InvariantCheck = async (db) => {
  const rows = await db('account as a').join('participant_limit as l', 'l.account_id', 'a.id')
    .where('l.type', 'NET_DEBIT_CAP').whereRaw('a.value + a.reserved_value > l.value').select('a.id', 'a.value', 'a.reserved_value', 'l.value as ndc')
  return rows.map((r: any) => `account ${r.id}: position ${r.value} + reserved ${r.reserved_value} exceeds NDC ${r.ndc}`)
}

/** I4 (liquidity): where the currency's settlement model checks liquidity (the default), no position
 *  account's exposure exceeds what its participant's settlement account holds. */
export const withinLiquidityCover: InvariantCheck = async (db) => {
  const rows = await db.raw(`
    SELECT a.id, a.currency, a.value, a.reserved_value, -(s.value + s.reserved_value) AS cover
    FROM account a JOIN account s ON s.participant_id = a.participant_id AND s.currency = a.currency AND s.type = 'SETTLEMENT'
    LEFT JOIN settlement_model m ON m.is_active = 1 AND m.ledger_account_type = 'POSITION' AND m.currency = a.currency
    LEFT JOIN settlement_model g ON g.is_active = 1 AND g.ledger_account_type = 'POSITION' AND g.currency IS NULL
    WHERE a.type = 'POSITION' AND COALESCE(m.require_liquidity_check, g.require_liquidity_check, 1) = 1
      AND a.value + a.reserved_value > -(s.value + s.reserved_value)`)
  return rows[0].map((r: any) => `account ${r.id} (${r.currency}): position ${r.value} + reserved ${r.reserved_value} exceeds liquidity cover ${r.cover}`)
}

/** I5 (amounts): a commit entry moves exactly the transfer's amount, from the payer's position to the payee's, and nothing else. */
export const commitMovesTheAmount: InvariantCheck = async (db) => {
  const rows = await db.raw(`
    SELECT t.id, t.amount, t.payer_account_id, t.payee_account_id, COUNT(l.account_id) AS line_count,
      SUM(CASE WHEN l.account_id = t.payer_account_id AND l.amount = t.amount THEN 1 ELSE 0 END) AS payer_lines,
      SUM(CASE WHEN l.account_id = t.payee_account_id AND l.amount = -t.amount THEN 1 ELSE 0 END) AS payee_lines
    FROM transfer t JOIN journal_entry e ON e.kind = 'TRANSFER_COMMIT' AND e.reference = t.id JOIN journal_line l ON l.entry_id = e.id
    GROUP BY t.id, t.amount, t.payer_account_id, t.payee_account_id HAVING line_count <> 2 OR payer_lines <> 1 OR payee_lines <> 1`)
  return rows[0].map((r: any) => `transfer ${r.id} of ${r.amount}: its commit entry has ${r.line_count} lines, not one of +${r.amount} on the payer and one of -${r.amount} on the payee`)
}

/** I5: a committed transfer has exactly one commit entry; no other transfer has one. */
export const oneEffectPerTransfer: InvariantCheck = async (db) => {
  const rows = await db.raw(`
    SELECT t.id, t.state, COUNT(e.id) AS entries FROM transfer t
    LEFT JOIN journal_entry e ON e.kind = 'TRANSFER_COMMIT' AND e.reference = t.id
    GROUP BY t.id, t.state HAVING (t.state = 'COMMITTED' AND COUNT(e.id) <> 1) OR (t.state <> 'COMMITTED' AND COUNT(e.id) <> 0)`)
  const orphans = await db('journal_entry as e').leftJoin('transfer as t', 't.id', 'e.reference').where('e.kind', 'TRANSFER_COMMIT').whereNull('t.id').select('e.reference')
  return [
    ...rows[0].map((r: any) => `transfer ${r.id} is ${r.state} with ${r.entries} commit entries`),
    ...orphans.map((r: any) => `commit entry for unknown transfer ${r.reference}`),
  ]
}

/** I8: each transfer's recorded states move only forward, and its current state is the last of them. */
export const statesMoveForward: InvariantCheck = async (db) => {
  const changes = await db('transfer_state_change').orderBy('id').select('transfer_id', 'state')
  const current = new Map((await db('transfer').select('id', 'state')).map((r: any) => [r.id, r.state]))
  const last = new Map<string, TransferState>()
  const violations: string[] = []
  for (const c of changes) {
    const before = last.get(c.transfer_id)
    if (before === undefined ? c.state !== 'RECEIVED' : !canMove(before, c.state)) violations.push(`transfer ${c.transfer_id} moved ${before ?? 'nowhere'} → ${c.state}`)
    last.set(c.transfer_id, c.state)
  }
  for (const [id, state] of current) if (last.get(id) !== state) violations.push(`transfer ${id} is ${state} but its history ends in ${last.get(id)}`)
  return violations
}

export function pipelineInvariants(opts: { expirySlack_ms?: number; bus?: Pick<MessageBus, 'committedOffsets'> } = {}): Record<string, InvariantCheck> {
  return {
    ...LEDGER_INVARIANTS, noStuckTransfers: noStuckTransfers(opts.expirySlack_ms ?? 5_000), withinNetDebitCap, withinLiquidityCover,
    oneEffectPerTransfer, commitMovesTheAmount, statesMoveForward,
    ...(opts.bus ? { offsetsNotAhead: offsetsNotAhead(opts.bus) } : {}),
  }
}

/** I6: a final transfer's callback reached the DFSP or is dead-lettered with a reason (to `recipient`, when given). */
export async function deliveredOrDeadLettered(db: Db, transferId: string, delivered: (id: string) => boolean, recipient?: string): Promise<boolean> {
  if (delivered(transferId)) return true
  const dead = await db('callback_dead_letter').where({ reference: transferId, ...(recipient ? { recipient } : {}) }).first()
  return Boolean(dead?.reason)
}

/** Who must hear of a final transfer: the payer always; the payee, once its prepare was forwarded (the
 *  transfer was RESERVED), when it expired, when the hub refused its fulfilment (3100), and when it
 *  answered RESERVED (the PATCH). */
export function partiesToTell(row: { state: string; payer_fsp: string; payee_fsp: string; error_code: string | null; fulfil_hash: string | null; payee_wants_patch: number | boolean | null }, wasReserved: boolean): string[] {
  const refusedFulfil = row.state === 'ABORTED' && row.fulfil_hash !== null && row.error_code === '3100'
  const payeeToo = wasReserved && (row.state === 'EXPIRED' || refusedFulfil || (row.state === 'COMMITTED' && Boolean(row.payee_wants_patch)))
  return payeeToo ? [row.payer_fsp, row.payee_fsp] : [row.payer_fsp]
}

/** I6 for payer and payee: every party of every final transfer heard of it (`heard`, from the DFSPs' own
 *  logs) or its callback is dead-lettered with a reason. Only the `parties` given, when given (those whose logs the caller has). */
export const partiesTold = (heard: (recipient: string, transferId: string) => boolean, parties?: readonly string[]): InvariantCheck => async (db) => {
  const rows = await db('transfer').whereIn('state', ['COMMITTED', 'ABORTED', 'EXPIRED']).select('id', 'state', 'payer_fsp', 'payee_fsp', 'error_code', 'fulfil_hash', 'payee_wants_patch')
  const reserved = new Set((await db('transfer_state_change').where({ state: 'RESERVED' }).distinct('transfer_id')).map((r: any) => r.transfer_id as string))
  const violations: string[] = []
  for (const row of rows) {
    for (const recipient of partiesToTell(row, reserved.has(row.id)).filter((r) => !parties || parties.includes(r))) {
      if (!heard(recipient, row.id) && !(await deliveredOrDeadLettered(db, row.id, () => false, recipient))) {
        violations.push(`${recipient} never heard that transfer ${row.id} is ${row.state}, and no dead letter says why`)
      }
    }
  }
  return violations
}

/** I7: no consumer group's committed Kafka offset is ahead of the offset its DB effects recorded. */
export const offsetsNotAhead = (bus: Pick<MessageBus, 'committedOffsets'>): InvariantCheck => async (db) => {
  // The bus first, then the DB: both only grow, so a DB read after the bus read can only be further on.
  const groups = await db('consumed_offset').distinct('consumer_group', 'topic').select()
  const committed: { group: string; topic: string; partition: number; offset: bigint }[] = []
  for (const group of new Set(groups.map((r: any) => r.consumer_group as string))) {
    const topics = [...new Set(groups.filter((r: any) => r.consumer_group === group).map((r: any) => r.topic as string))]
    for (const c of await bus.committedOffsets(group, topics)) committed.push({ group, ...c })
  }
  const rows = await db('consumed_offset').select('consumer_group', 'topic', 'partition', 'next_offset')
  const stored = new Map(rows.map((r: any) => [`${r.consumer_group}|${r.topic}|${r.partition}`, BigInt(r.next_offset)]))
  return committed
    .filter((c) => c.offset > (stored.get(`${c.group}|${c.topic}|${c.partition}`) ?? 0n))
    .map((c) => `${c.group} ${c.topic}[${c.partition}] committed ${c.offset} to Kafka ahead of the DB's ${stored.get(`${c.group}|${c.topic}|${c.partition}`) ?? 0n}`)
}
