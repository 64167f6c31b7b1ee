// The audit log for auditors and the regulator: GET /audit (newest first, paged by seq, filtered by actor,
// action or target),
// GET /audit/verify (walks the hash chain; ?anchorSeq&anchorHash checks it against a kept head),
// GET /audit/head (the seq and hash to keep as an anchor). Registered on the admin API under /audit and,
// behind a session, for the web view under /ui/api/audit.
import type { FastifyInstance } from 'fastify'
import type { Db } from '../../ledger/store/db.ts'
import { AUDIT_PAGE_ROWS_MAX, auditEntries, type AuditFilter, chainHead, verifyAuditChain } from '../../ledger/store/audit.ts'
import { GENESIS_HASH } from '../../ledger/domain/audit-chain.ts'
import { FspiopError } from '../fspiop/errors.ts'

const AUDIT_PAGE_ROWS_DEFAULT = 50
const seqText = { type: 'string', pattern: '^[1-9][0-9]{0,18}$' } as const
const pageQuery = {
  type: 'object', additionalProperties: false,
  properties: {
    beforeSeq: seqText, limit: { type: 'integer', minimum: 1, maximum: AUDIT_PAGE_ROWS_MAX },
    actor: { type: 'string', maxLength: 128 }, action: { type: 'string', maxLength: 80 }, target: { type: 'string', maxLength: 200 },
  },
} as const
const verifyQuery = {
  type: 'object', additionalProperties: false,
  properties: { anchorSeq: seqText, anchorHash: { type: 'string', pattern: '^[0-9a-f]{64}$' } },
} as const

export async function auditRoutes(app: FastifyInstance, deps: { db: Db }): Promise<void> {
  const { db } = deps

  app.get<{ Querystring: { beforeSeq?: string; limit?: number } & AuditFilter }>('/', { schema: { querystring: pageQuery } }, async (request) => {
    const { limit, ...rest } = request.query
    const entries = await auditEntries(db, { ...rest, limit: limit ?? AUDIT_PAGE_ROWS_DEFAULT })
    const last = entries[entries.length - 1]
    return { entries, nextBeforeSeq: last && last.seq !== '1' ? last.seq : null }
  })

  app.get<{ Querystring: { anchorSeq?: string; anchorHash?: string } }>('/verify', { schema: { querystring: verifyQuery } }, async (request) => {
    const { anchorSeq, anchorHash } = request.query
    if ((anchorSeq === undefined) !== (anchorHash === undefined)) throw new FspiopError('3100', 'an anchor is anchorSeq and anchorHash together')
    return verifyAuditChain(db, anchorSeq && anchorHash ? { seq: BigInt(anchorSeq), hash: anchorHash } : undefined)
  })

  app.get('/head', async () => {
    const head = await chainHead(db)
    return { seq: (head?.seq ?? 0n).toString(), hash: head?.hash ?? GENESIS_HASH }
  })
}
