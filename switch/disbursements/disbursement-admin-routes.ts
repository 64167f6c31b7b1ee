// The operator's view of disbursements on the admin API (every operator role may read):
//   GET /disbursements?payer=NAME&limit=50   the latest, with progress (the web view and `agora disbursements list`)
//   GET /disbursements/:id                    one, with progress (`agora disbursements status ID`)
import type { FastifyInstance } from 'fastify'
import type { Db } from '../../ledger/store/db.ts'
import { findDisbursement, listDisbursements, progressOf, type DisbursementRow } from './disbursement-store.ts'

export const ADMIN_LIST_LIMIT_MAX = 200

export async function withProgress(db: Db, row: DisbursementRow) {
  return {
    disbursementId: row.id, payerFsp: row.payerFsp, format: row.format, currency: row.currency, state: row.state,
    createdAt: row.createdAt.toISOString(), completedAt: row.completedAt?.toISOString() ?? null, ...(await progressOf(db, row)),
  }
}

const listQuery = { type: 'object', properties: { payer: { type: 'string', maxLength: 32 }, limit: { type: 'integer', minimum: 1, maximum: ADMIN_LIST_LIMIT_MAX } } } as const

export async function disbursementAdminRoutes(app: FastifyInstance, deps: { db: Db }): Promise<void> {
  app.get<{ Querystring: { payer?: string; limit?: number } }>('/disbursements', { schema: { querystring: listQuery } }, async (request) => {
    const rows = await listDisbursements(deps.db, { payerFsp: request.query.payer, limit: request.query.limit ?? 50 })
    return Promise.all(rows.map((row) => withProgress(deps.db, row)))
  })
  app.get<{ Params: { id: string } }>('/disbursements/:id', async (request, reply) => {
    const row = await findDisbursement(deps.db, request.params.id)
    if (!row) return reply.code(404).send({ errorInformation: { errorCode: '3100', errorDescription: `disbursement ${request.params.id.slice(0, 64)} not found` } })
    return withProgress(deps.db, row)
  })
}
