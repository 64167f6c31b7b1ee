// `agora audit …`: checks the audit log's hash chain straight from the database (AGORA_DB_*), so whoever
// runs it need not trust the switch's own answer. `head` prints the seq and hash to keep as an anchor;
// `verify --anchor SEQ:HASH` later proves the chain up to that entry was not rewritten.
import { parseArgs } from 'node:util'
import { loadConfig } from '../config/config.ts'
import { openDb } from '../../ledger/store/db.ts'
import { chainHead, verifyAuditChain } from '../../ledger/store/audit.ts'
import { GENESIS_HASH, type ChainHead } from '../../ledger/domain/audit-chain.ts'

export const AUDIT_USAGE = `audit verify [--anchor SEQ:HASH]       walk the audit hash chain (exit 1 and the broken seq when it is not intact)
  audit head                              the chain head's seq and hash, to keep as an anchor`

export async function auditCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: false, options: { anchor: { type: 'string' } } })
  const [sub] = positionals
  const db = openDb({ ...loadConfig().db, poolMax: 2 })
  try {
    if (sub === 'head') {
      const head = await chainHead(db)
      const seq = (head?.seq ?? 0n).toString()
      const hash = head?.hash ?? GENESIS_HASH
      console.log(JSON.stringify({ seq, hash, anchor: `${seq}:${hash}` }))
      return
    }
    if (sub !== 'verify') throw new Error(`usage: agora ${AUDIT_USAGE}`)
    const report = await verifyAuditChain(db, values.anchor === undefined ? undefined : anchorOf(String(values.anchor)))
    console.log(JSON.stringify(report, null, 2))
    if (!report.intact) {
      const first = report.problems[0]
      throw new Error(`the audit chain is broken at seq ${report.brokenAtSeq} (intact up to seq ${report.intactThroughSeq}; ${report.problemCount} problem(s))${first ? `: ${first.message}` : ''}`)
    }
  } finally {
    await db.destroy()
  }
}

function anchorOf(text: string): ChainHead {
  const match = /^([1-9][0-9]{0,18}):([0-9a-f]{64})$/.exec(text)
  if (!match) throw new Error('--anchor is SEQ:HASH, as `agora audit head` prints them')
  return { seq: BigInt(match[1]!), hash: match[2]! }
}
