// Report endpoints, JSON by default and CSV with ?format=csv (a download). Registered on the admin API
// under /reports and, behind a session, for the web view under /ui/api/reports. Lists that grow with the
// scheme (participants, statements, transfers, funds movements) are paged: { total, rows } for offset and limit.
import type { FastifyInstance, FastifyReply } from 'fastify'
import type { Db } from '../../ledger/store/db.ts'
import { FspiopError } from '../fspiop/errors.ts'
import { hubTotals, positionsReport, settlementReport, statement, toCsv, volumes, windowReport, type ReportRow } from './reports.ts'
import { conversionsReport } from './conversions-report.ts'
import { alerts, type AlertRules } from './alerts.ts'
import { PARTICIPANT_SORTS, PARTICIPANTS_PAGE_ROWS_MAX, participantsPage, type ParticipantSort } from './participants-page.ts'
import { ACTIVITY_PAGE_ROWS_MAX, statementPage, TRANSFER_STATES, transfersPage } from './participant-activity.ts'
import { transferLife } from './transfer-life.ts'
import { settlementDetail, settlementJournal } from './settlement-detail.ts'
import { fundsMovementsPage } from './funds-movements.ts'
import { HEALTH_HOURS_MAX, positionHistory, transferHealth } from './health.ts'

type Format = { format?: 'json' | 'csv' }
type Paged = { offset?: number; limit?: number; from?: string; to?: string }
const PAGE_ROWS_DEFAULT = 50
const formatQuery = { type: 'object', properties: { format: { type: 'string', enum: ['json', 'csv'] }, from: { type: 'string' }, to: { type: 'string' }, hours: { type: 'integer', minimum: 1, maximum: 2160 } } } as const
const conversionsQuery = { type: 'object', properties: { ...formatQuery.properties, window: { type: 'integer', minimum: 1 }, from: { type: 'string', format: 'date-time' }, to: { type: 'string', format: 'date-time' } } } as const
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1 } } } as const
const pageProperties = (rowsMax: number) => ({
  offset: { type: 'integer', minimum: 0 }, limit: { type: 'integer', minimum: 1, maximum: rowsMax },
  from: { type: 'string', format: 'date-time' }, to: { type: 'string', format: 'date-time' },
}) as const
const participantsQuery = {
  type: 'object', additionalProperties: false,
  properties: {
    ...pageProperties(PARTICIPANTS_PAGE_ROWS_MAX), name: { type: 'string', maxLength: 30 }, currency: { type: 'string', pattern: '^[A-Z]{3}$' },
    sort: { type: 'string', enum: [...PARTICIPANT_SORTS] }, order: { type: 'string', enum: ['asc', 'desc'] },
  },
} as const
const journalQuery = { type: 'object', additionalProperties: false, properties: { ...pageProperties(ACTIVITY_PAGE_ROWS_MAX), currency: { type: 'string', pattern: '^[A-Z]{3}$' }, account: { type: 'string', maxLength: 40 } } } as const
const transfersQuery = { type: 'object', additionalProperties: false, properties: { ...pageProperties(ACTIVITY_PAGE_ROWS_MAX), state: { type: 'string', enum: [...TRANSFER_STATES] } } } as const
const fundsQuery = { type: 'object', additionalProperties: false, properties: { ...pageProperties(ACTIVITY_PAGE_ROWS_MAX), participant: { type: 'string', maxLength: 30 } } } as const
const healthQuery = { type: 'object', additionalProperties: false, properties: { hours: { type: 'integer', minimum: 1, maximum: HEALTH_HOURS_MAX }, participant: { type: 'string', maxLength: 30 } } } as const
const historyQuery = { type: 'object', additionalProperties: false, required: ['currency'], properties: { hours: { type: 'integer', minimum: 1, maximum: HEALTH_HOURS_MAX }, currency: { type: 'string', pattern: '^[A-Z]{3}$' } } } as const
const HEALTH_HOURS_DEFAULT = 24
const transferParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 36 } } } as const

function send(reply: FastifyReply, name: string, rows: ReportRow[], format: Format['format']) {
  if (format === 'csv') {
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(toCsv(rows))
  }
  return reply.send(rows)
}
const page = (q: Paged) => ({ offset: q.offset ?? 0, limit: q.limit ?? PAGE_ROWS_DEFAULT, from: q.from, to: q.to })

export async function reportRoutes(app: FastifyInstance, deps: { db: Db; alerts: AlertRules }): Promise<void> {
  const { db } = deps
  app.get<{ Params: { id: number }; Querystring: Format }>('/settlementWindows/:id', { schema: { params: idParams, querystring: formatQuery } }, async (request, reply) =>
    send(reply, `window-${request.params.id}`, await windowReport(db, String(request.params.id)), request.query.format))
  app.get<{ Params: { id: number }; Querystring: Format }>('/settlements/:id', { schema: { params: idParams, querystring: formatQuery } }, async (request, reply) =>
    send(reply, `settlement-${request.params.id}`, await settlementReport(db, String(request.params.id)), request.query.format))
  app.get<{ Params: { id: number } }>('/settlements/:id/detail', { schema: { params: idParams } }, async (request) => {
    const detail = await settlementDetail(db, String(request.params.id))
    if (!detail) throw new FspiopError('3200', `settlement ${request.params.id} does not exist`)
    return detail
  })
  app.get<{ Params: { id: number }; Querystring: Format }>('/settlements/:id/journal', { schema: { params: idParams, querystring: formatQuery } }, async (request, reply) =>
    send(reply, `settlement-${request.params.id}-journal`, await settlementJournal(db, String(request.params.id)), request.query.format))
  app.get<{ Params: { name: string }; Querystring: Format & { from?: string; to?: string } }>('/participants/:name/statement', { schema: { querystring: formatQuery } }, async (request, reply) =>
    send(reply, `statement-${request.params.name}`, await statement(db, request.params.name, request.query.from, request.query.to), request.query.format))
  app.get<{ Querystring: Paged & { name?: string; currency?: string; sort?: ParticipantSort; order?: 'asc' | 'desc' } }>('/participants', { schema: { querystring: participantsQuery } }, async (request) => {
    const q = request.query
    return participantsPage(db, { ...page(q), name: q.name, currency: q.currency, sort: q.sort, descending: q.order === 'desc' })
  })
  app.get<{ Params: { name: string }; Querystring: Paged & { currency?: string; account?: string } }>('/participants/:name/journal', { schema: { querystring: journalQuery } }, async (request) =>
    statementPage(db, request.params.name, { ...page(request.query), currency: request.query.currency, account: request.query.account }))
  app.get<{ Params: { name: string }; Querystring: Paged & { state?: string } }>('/participants/:name/transfers', { schema: { querystring: transfersQuery } }, async (request) =>
    transfersPage(db, request.params.name, { ...page(request.query), state: request.query.state }))
  app.get<{ Params: { id: string } }>('/transfers/:id', { schema: { params: transferParams } }, async (request) => {
    const life = await transferLife(db, request.params.id)
    if (!life) throw new FspiopError('3208', `transfer ${request.params.id} does not exist`)
    return life
  })
  app.get<{ Querystring: Paged & { participant?: string } }>('/fundsMovements', { schema: { querystring: fundsQuery } }, async (request) =>
    fundsMovementsPage(db, { ...page(request.query), participant: request.query.participant }))
  app.get<{ Querystring: { hours?: number; participant?: string } }>('/health', { schema: { querystring: healthQuery } }, async (request) =>
    transferHealth(db, { hours: request.query.hours ?? HEALTH_HOURS_DEFAULT, participant: request.query.participant }))
  app.get<{ Params: { name: string }; Querystring: { hours?: number; currency: string } }>('/participants/:name/positionHistory', { schema: { querystring: historyQuery } }, async (request) => {
    const history = await positionHistory(db, { participant: request.params.name, currency: request.query.currency, hours: request.query.hours ?? HEALTH_HOURS_DEFAULT })
    if (!history) throw new FspiopError('3200', `participant ${request.params.name} has no ${request.query.currency} position`)
    return history
  })
  app.get<{ Querystring: Format }>('/hub', { schema: { querystring: formatQuery } }, async (request, reply) => send(reply, 'hub-totals', await hubTotals(db), request.query.format))
  app.get<{ Querystring: Format & { hours?: number } }>('/volumes', { schema: { querystring: formatQuery } }, async (request, reply) => send(reply, 'volumes', await volumes(db, request.query.hours), request.query.format))
  app.get('/alerts', async () => alerts(db, deps.alerts))
  app.get<{ Querystring: Format & { window?: number; from?: string; to?: string } }>('/conversions', { schema: { querystring: conversionsQuery } }, async (request, reply) =>
    send(reply, 'conversions', await conversionsReport(db, { window: request.query.window === undefined ? undefined : String(request.query.window), from: request.query.from, to: request.query.to }), request.query.format))
  app.get<{ Querystring: Format }>('/positions', { schema: { querystring: formatQuery } }, async (request, reply) => send(reply, 'positions', await positionsReport(db), request.query.format))
}
