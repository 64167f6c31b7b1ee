// GET /audit: the operator audit log, newest first, for the auditor role. Filters: actor, action, target;
// `before` (an id) pages back; at most AUDIT_PAGE_MAX rows per call.
import type { FastifyInstance } from 'fastify'
import type { AdminDeps } from './admin-deps.ts'

const AUDIT_PAGE_MAX = 500
const auditQuery = {
  type: 'object', additionalProperties: false,
  properties: {
    actor: { type: 'string', maxLength: 128 }, action: { type: 'string', maxLength: 80 }, target: { type: 'string', maxLength: 200 },
    before: { type: 'integer', minimum: 1 }, limit: { type: 'integer', minimum: 1, maximum: AUDIT_PAGE_MAX },
  },
} as const
type AuditQuery = { actor?: string; action?: string; target?: string; before?: number; limit?: number }
type AuditRow = { id: number | string; actor: string; action: string; target: string | null; detail: unknown; created_at: Date }

export async function auditRoutes(app: FastifyInstance, deps: AdminDeps): Promise<void> {
  app.get<{ Querystring: AuditQuery }>('/audit', { schema: { querystring: auditQuery } }, async (request) => {
    const { actor, action, target, before, limit } = request.query
    const query = deps.db('audit_log').select('id', 'actor', 'action', 'target', 'detail', 'created_at').orderBy('id', 'desc').limit(limit ?? 100)
    if (actor !== undefined) query.where({ actor })
    if (action !== undefined) query.where({ action })
    if (target !== undefined) query.where({ target })
    if (before !== undefined) query.where('id', '<', before)
    const rows = (await query) as AuditRow[]
    return rows.map((r) => ({
      id: Number(r.id), actor: r.actor, action: r.action, target: r.target,
      detail: typeof r.detail === 'string' ? JSON.parse(r.detail) : r.detail, createdDate: r.created_at,
    }))
  })
}
