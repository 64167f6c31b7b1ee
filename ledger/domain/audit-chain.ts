// The audit log as a hash chain: each entry's hash is SHA-256 over the previous entry's hash and a
// canonical serialization of its own fields (seq, actor, action, target, detail, created time), so an
// edited, inserted or deleted row breaks the chain where it happened. Pure: the store reads and writes rows.
import { createHash } from 'node:crypto'

/** The prev_hash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64)
/** Problems a verification names before it only counts them. */
export const CHAIN_PROBLEMS_MAX = 100

export interface AuditEntryFields {
  seq: bigint
  actor: string
  action: string
  target: string | null
  /** Parsed JSON (null when there is none). */
  detail: unknown
  createdAt: Date
}

export interface ChainRow extends AuditEntryFields {
  id: bigint
  prevHash: string
  hash: string
}

export interface ChainHead {
  seq: bigint
  hash: string
}

export type ChainProblemKind = 'edited' | 'inserted' | 'deleted' | 'rewritten' | 'head-mismatch' | 'anchor-mismatch'

export interface ChainProblem {
  kind: ChainProblemKind
  /** The entry the problem is at (for a deletion, the first missing seq). */
  seq: string
  id: string | null
  message: string
}

export interface ChainReport {
  intact: boolean
  entries: number
  head: { seq: string; hash: string }
  /** Every entry up to this seq verifies ("0": none). */
  intactThroughSeq: string
  brokenAtSeq: string | null
  problems: ChainProblem[]
  problemCount: number
}

/** JSON with object keys sorted at every level: the same value always serializes the same way. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value)
    return text === undefined ? 'null' : text
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`
  const record = value as Record<string, unknown>
  const keys = Object.keys(record).filter((k) => record[k] !== undefined).sort()
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`
}

export function entryHash(prevHash: string, entry: AuditEntryFields): string {
  const fields = {
    seq: entry.seq.toString(), actor: entry.actor, action: entry.action, target: entry.target,
    detail: entry.detail ?? null, createdAt: entry.createdAt.toISOString(),
  }
  return createHash('sha256').update(prevHash).update('\n').update(canonicalJson(fields)).digest('hex')
}

/**
 * Walks the chain in seq order (feed rows with `add`, then `finish`). The head is what the log's head row
 * says; an anchor is a (seq, hash) kept outside the database, e.g. by a regulator (`agora audit head`).
 */
export function createChainWalker(head: ChainHead | undefined, anchor?: ChainHead) {
  const problems: ChainProblem[] = []
  let problemCount = 0
  let entries = 0
  let expectedSeq = 1n
  let prevHash = GENESIS_HASH
  let prevPrevHash: string | undefined
  let previous: ChainRow | undefined
  let anchorSeen = false
  let brokenAt: bigint | undefined

  const report = (kind: ChainProblemKind, seq: bigint, id: bigint | null, message: string) => {
    problemCount++
    if (brokenAt === undefined || seq < brokenAt) brokenAt = seq
    if (problems.length < CHAIN_PROBLEMS_MAX) problems.push({ kind, seq: seq.toString(), id: id === null ? null : id.toString(), message })
  }
  const name = (row: ChainRow) => `seq ${row.seq} (id ${row.id})`

  function add(row: ChainRow): void {
    if (head && row.seq > head.seq) {
      report('inserted', row.seq, row.id, `${name(row)} is past the chain head (seq ${head.seq}): inserted outside the chain`)
      return
    }
    entries++
    const ownHashMatches = entryHash(row.prevHash, row) === row.hash
    // A row whose hash fits its content under a neighbouring seq was renumbered to hide an insertion or deletion.
    const renumberedFrom = ownHashMatches ? undefined : [row.seq + 1n, row.seq - 1n].find((s) => s > 0n && entryHash(row.prevHash, { ...row, seq: s }) === row.hash)
    if (row.seq > expectedSeq) {
      const last = row.seq - 1n
      report('deleted', expectedSeq, null, `seq ${expectedSeq}${last > expectedSeq ? `..${last}` : ''} missing: deleted (the chain goes from seq ${expectedSeq - 1n} to ${row.seq})`)
    } else if (row.prevHash !== prevHash) {
      if (!previous) report('edited', row.seq, row.id, `${name(row)} is the first entry but does not start from the genesis hash`)
      else if (row.prevHash === prevPrevHash) report('inserted', previous.seq, previous.id, `${name(previous)} was inserted: ${name(row)} links past it to seq ${previous.seq - 1n}`)
      else if (renumberedFrom === row.seq + 1n) report('deleted', row.seq, null, `an entry before ${name(row)} was deleted and the later ones renumbered (this was seq ${renumberedFrom})`)
      else if (entryHash(previous.prevHash, previous) === previous.hash) report('rewritten', previous.seq, previous.id, `${name(previous)} was rewritten and re-hashed: ${name(row)} links to a hash it no longer has`)
    }
    if (!ownHashMatches) {
      report('edited', row.seq, row.id, renumberedFrom === undefined ? `${name(row)} was edited: its content does not match its hash` : `${name(row)} was renumbered: its hash is the one of seq ${renumberedFrom}`)
    } else if (previous && row.id < previous.id && row.prevHash !== prevPrevHash) {
      report('inserted', row.seq, row.id, `${name(row)} was inserted: its id is below the one of seq ${previous.seq}`)
    }
    if (anchor && row.seq === anchor.seq) {
      anchorSeen = true
      if (row.hash !== anchor.hash) report('anchor-mismatch', row.seq, row.id, `${name(row)} has hash ${row.hash}, the anchor says ${anchor.hash}: the chain was rewritten up to here`)
    }
    prevPrevHash = prevHash
    prevHash = row.hash
    previous = row
    expectedSeq = row.seq + 1n
  }

  function finish(): ChainReport {
    const lastSeq = expectedSeq - 1n
    if (!head) {
      if (entries > 0) report('head-mismatch', 1n, null, 'the chain head row is missing')
    } else if (head.seq > lastSeq) {
      report('deleted', lastSeq + 1n, null, `seq ${lastSeq + 1n}${head.seq > lastSeq + 1n ? `..${head.seq}` : ''} missing: deleted from the end (the head records seq ${head.seq})`)
    } else if (head.seq === lastSeq && head.hash !== prevHash) {
      report('head-mismatch', lastSeq, previous?.id ?? null, `seq ${lastSeq}'s hash differs from the one the head records: the last entry was rewritten`)
    }
    if (anchor && !anchorSeen) report('deleted', anchor.seq, null, `seq ${anchor.seq} (the anchor) is not in the chain: deleted`)
    const headSeq = head?.seq ?? 0n
    return {
      intact: problemCount === 0,
      entries,
      head: { seq: headSeq.toString(), hash: head?.hash ?? GENESIS_HASH },
      intactThroughSeq: (brokenAt === undefined ? lastSeq : brokenAt - 1n).toString(),
      brokenAtSeq: brokenAt === undefined ? null : brokenAt.toString(),
      problems,
      problemCount,
    }
  }

  return { add, finish }
}
