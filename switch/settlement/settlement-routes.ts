// Mojaloop's central-settlement API (v2): settlement windows and settlements, for operator tooling.
// Closing a window and creating, moving or aborting a settlement go through the ledger port, each with its
// audit entry in one unit of work; the GETs and the answers' bodies are reports read from the store
// directly (listWindows, settlement-views.ts).
import type { FastifyInstance } from 'fastify'
import { FspiopError, type FspiopErrorCode } from '../fspiop/errors.ts'
import { listWindows } from '../../ledger/store/settlement-windows-admin.ts'
import type { SettlementProblem, SettlementResult } from '../../ledger/funds-settlement-port.ts'
import { SETTLEMENT_STATES } from '../../ledger/domain/settlement.ts'
import { actorOf } from '../admin/operator.ts'
import { settlementView, windowView } from './settlement-views.ts'
import { adminLedger, type AdminDeps } from '../admin/admin-deps.ts'

const PROBLEM_CODES: Record<SettlementProblem, FspiopErrorCode> = {
  'unknown-model': '3100', 'unknown-window': '3200', 'window-not-closed': '3100', 'nothing-to-settle': '3100', 'unknown-settlement': '3200',
  'unknown-account': '3200', 'bad-transition': '3100', 'hub-account-missing': '3000', 'insufficient-funds': '4001', final: '3100',
}
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1 } } } as const
const windowQuery = {
  type: 'object', additionalProperties: false,
  properties: {
    state: { type: 'string', enum: ['OPEN', 'CLOSED', 'PENDING_SETTLEMENT', 'SETTLED', 'ABORTED'] }, participantId: { type: 'integer', minimum: 1 },
    fromDateTime: { type: 'string', format: 'date-time' }, toDateTime: { type: 'string', format: 'date-time' },
  },
} as const
const closeBody = { type: 'object', required: ['state', 'reason'], properties: { state: { type: 'string', enum: ['CLOSED'] }, reason: { type: 'string', minLength: 1, maxLength: 512 } } } as const
const createBody = {
  type: 'object', required: ['settlementModel', 'reason', 'settlementWindows'],
  properties: {
    settlementModel: { type: 'string', minLength: 1 }, reason: { type: 'string', minLength: 1, maxLength: 512 },
    settlementWindows: { type: 'array', minItems: 1, items: { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1 } } } },
  },
} as const
const updateBody = {
  type: 'object',
  properties: {
    state: { type: 'string', enum: ['ABORTED'] }, reason: { type: 'string', maxLength: 512 },
    participants: {
      type: 'array', minItems: 1,
      items: {
        type: 'object', required: ['id', 'accounts'],
        properties: {
          id: { type: 'integer' },
          accounts: { type: 'array', minItems: 1, items: { type: 'object', required: ['id', 'state'], properties: { id: { type: 'integer' }, state: { type: 'string', enum: [...SETTLEMENT_STATES] }, reason: { type: 'string', maxLength: 512 }, externalReference: { type: 'string', maxLength: 256 } } } },
        },
      },
    },
  },
} as const

type UpdateBody = { state?: 'ABORTED'; reason?: string; participants?: { id: number; accounts: { id: number; state: (typeof SETTLEMENT_STATES)[number]; reason?: string; externalReference?: string }[] }[] }

function check<T>(result: SettlementResult<T>): T {
  if (!result.ok) throw new FspiopError(PROBLEM_CODES[result.problem], result.message)
  return result.value
}

export async function settlementRoutes(app: FastifyInstance, deps: AdminDeps): Promise<void> {
  const { db } = deps
  const ledger = adminLedger(deps)

  app.get<{ Querystring: { state?: string; fromDateTime?: string; toDateTime?: string; participantId?: number } }>('/v2/settlementWindows', { schema: { querystring: windowQuery } }, async (request) => {
    const windows = await listWindows(db, request.query)
    return Promise.all(windows.map((w) => windowView(db, w)))
  })

  app.get<{ Params: { id: number } }>('/v2/settlementWindows/:id', { schema: { params: idParams } }, async (request) => {
    const [w] = await listWindows(db, { id: String(request.params.id) })
    if (!w) throw new FspiopError('3200', `settlement window ${request.params.id} does not exist`)
    return windowView(db, w)
  })

  app.post<{ Params: { id: number }; Body: { state: 'CLOSED'; reason: string } }>('/v2/settlementWindows/:id', { schema: { params: idParams, body: closeBody } }, async (request) => {
    const nextId = await ledger.transaction(async (tx) => {
      const result = await tx.closeWindow(String(request.params.id), request.body.reason)
      if (!result.ok) throw new FspiopError(result.problem === 'unknown-window' ? '3200' : '3100', result.problem === 'unknown-window' ? `settlement window ${request.params.id} does not exist` : `settlement window ${request.params.id} is not OPEN`)
      await tx.recordAudit({ actor: actorOf(request), action: 'settlementWindow.close', target: String(request.params.id), detail: request.body })
      return result.nextId
    })
    const [w] = await listWindows(db, { id: nextId })
    return windowView(db, w!)
  })

  app.post<{ Body: { settlementModel: string; reason: string; settlementWindows: { id: number }[] } }>('/v2/settlements', { schema: { body: createBody } }, async (request) => {
    const id = await ledger.transaction(async (tx) => {
      const created = check(await tx.createSettlement({ model: request.body.settlementModel, reason: request.body.reason, windowIds: request.body.settlementWindows.map((w) => String(w.id)), actor: actorOf(request) }))
      await tx.recordAudit({ actor: actorOf(request), action: 'settlement.create', target: created, detail: request.body })
      return created
    })
    return settlementView(db, id)
  })

  app.get<{ Querystring: { state?: string } }>('/v2/settlements', async (request) => {
    const query = db('settlement').orderBy('id', 'desc').pluck('id')
    if (request.query.state) query.where({ state: request.query.state })
    return Promise.all((await query).map((id: number) => settlementView(db, String(id))))
  })

  app.get<{ Params: { id: number } }>('/v2/settlements/:id', { schema: { params: idParams } }, async (request) => {
    const view = await settlementView(db, String(request.params.id))
    if (!view) throw new FspiopError('3200', `settlement ${request.params.id} does not exist`)
    return view
  })

  app.put<{ Params: { id: number }; Body: UpdateBody }>('/v2/settlements/:id', { schema: { params: idParams, body: updateBody } }, async (request) => {
    const id = String(request.params.id)
    const actor = actorOf(request)
    const body = request.body
    if (!body.participants && body.state !== 'ABORTED') throw new FspiopError('3102', 'give participants with account states, or state ABORTED')
    await ledger.transaction(async (tx) => {
      if (body.state === 'ABORTED') check(await tx.abortSettlement(id, body.reason ?? 'aborted', actor))
      else {
        const updates = body.participants!.flatMap((p) => p.accounts.map((a) => ({ participantId: p.id, accountId: a.id, state: a.state, reason: a.reason, externalReference: a.externalReference })))
        check(await tx.updateSettlement(id, updates, actor))
      }
      await tx.recordAudit({ actor, action: 'settlement.update', target: id, detail: body })
    })
    return settlementView(db, id)
  })
}
