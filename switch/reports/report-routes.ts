// Report endpoints, JSON by default and CSV with ?format=csv (a download). Registered on the admin API
// under /reports and, behind a session, for the web view under /ui/api/reports.
import type { FastifyInstance, FastifyReply } from 'fastify'
import type { Db } from '../../ledger/store/db.ts'
import { hubTotals, positionsReport, settlementReport, statement, toCsv, volumes, windowReport, type ReportRow } from './reports.ts'
import { conversionsReport } from './conversions-report.ts'

type Format = { format?: 'json' | 'csv' }
const formatQuery = { type: 'object', properties: { format: { type: 'string', enum: ['json', 'csv'] }, from: { type: 'string' }, to: { type: 'string' }, hours: { type: 'integer', minimum: 1, maximum: 2160 } } } as const
const conversionsQuery = { type: 'object', properties: { ...formatQuery.properties, window: { type: 'integer', minimum: 1 }, from: { type: 'string', format: 'date-time' }, to: { type: 'string', format: 'date-time' } } } as const
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1 } } } as const

function send(reply: FastifyReply, name: string, rows: ReportRow[], format: Format['format']) {
  if (format === 'csv') {
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(toCsv(rows))
  }
  return reply.send(rows)
}

export async function reportRoutes(app: FastifyInstance, deps: { db: Db }): Promise<void> {
  const { db } = deps
  app.get<{ Params: { id: number }; Querystring: Format }>('/settlementWindows/:id', { schema: { params: idParams, querystring: formatQuery } }, async (request, reply) =>
    send(reply, `window-${request.params.id}`, await windowReport(db, String(request.params.id)), request.query.format))
  app.get<{ Params: { id: number }; Querystring: Format }>('/settlements/:id', { schema: { params: idParams, querystring: formatQuery } }, async (request, reply) =>
    send(reply, `settlement-${request.params.id}`, await settlementReport(db, String(request.params.id)), request.query.format))
  app.get<{ Params: { name: string }; Querystring: Format & { from?: string; to?: string } }>('/participants/:name/statement', { schema: { querystring: formatQuery } }, async (request, reply) =>
    send(reply, `statement-${request.params.name}`, await statement(db, request.params.name, request.query.from, request.query.to), request.query.format))
  app.get<{ Querystring: Format }>('/hub', { schema: { querystring: formatQuery } }, async (request, reply) => send(reply, 'hub-totals', await hubTotals(db), request.query.format))
  app.get<{ Querystring: Format & { hours?: number } }>('/volumes', { schema: { querystring: formatQuery } }, async (request, reply) => send(reply, 'volumes', await volumes(db, request.query.hours), request.query.format))
  app.get<{ Querystring: Format & { window?: number; from?: string; to?: string } }>('/conversions', { schema: { querystring: conversionsQuery } }, async (request, reply) =>
    send(reply, 'conversions', await conversionsReport(db, { window: request.query.window === undefined ? undefined : String(request.query.window), from: request.query.from, to: request.query.to }), request.query.format))
  app.get<{ Querystring: Format }>('/positions', { schema: { querystring: formatQuery } }, async (request, reply) => send(reply, 'positions', await positionsReport(db), request.query.format))
}
