// The account-lookup admin API for oracles, as Mojaloop's ALS has it (src/interface/admin-swagger.yaml,
// domain/oracle/oracle.js): POST/GET /oracles, PUT/DELETE /oracles/{ID}. An oracle serves its party id type
// (oracleIdType) and currency from then on; types without one are served by the built-in oracle.
import type { FastifyInstance } from 'fastify'
import { FspiopError } from '../fspiop/errors.ts'
import { endpointUrlProblem } from '../fspiop/endpoint-url.ts'
import { parseFspiopJson } from '../fspiop/error-handler.ts'
import { recordAudit } from '../../ledger/store/audit.ts'
import { actorOf } from '../admin/operator.ts'
import type { AdminDeps } from '../admin/admin-deps.ts'

/** PartyIdType of the ALS admin API (its own copy of the FSPIOP enumeration). */
import { PARTY_ID_TYPES as ORACLE_ID_TYPES } from './lookup-schemas.ts'
const ENDPOINT_LENGTH_MAX = 512

// OracleInfo of the ALS admin API; the endpoint must be a URL the switch can call.
const oracleInfo = {
  type: 'object', required: ['oracleIdType', 'endpoint'],
  properties: {
    oracleIdType: { type: 'string', enum: [...ORACLE_ID_TYPES] },
    endpoint: {
      type: 'object', required: ['endpointType', 'value'],
      properties: { value: { type: 'string', minLength: 1, maxLength: ENDPOINT_LENGTH_MAX }, endpointType: { type: 'string', enum: ['URL'] } },
    },
    currency: { type: 'string', pattern: '^[A-Z]{3}$' },
    isDefault: { type: 'boolean' },
  },
} as const
type OracleInfo = { oracleIdType: string; endpoint: { value: string; endpointType: 'URL' }; currency?: string; isDefault?: boolean }

/** Only http: and https: oracles (3100, in the admin API's error shape, with the reason). */
function requireHttpEndpoint(b: OracleInfo): void {
  const unfit = endpointUrlProblem(b.endpoint.value)
  if (unfit) throw new FspiopError('3100', unfit)
}

// The ALS admin API requires Content-Type and Date on every /oracles request, and Accept on GET, POST and DELETE.
const requiredHeaders = (...names: string[]) => ({ type: 'object', required: names, properties: Object.fromEntries(names.map((n) => [n, { type: 'string', minLength: 1 }])) })
const withAccept = requiredHeaders('content-type', 'date', 'accept')
const withoutAccept = requiredHeaders('content-type', 'date')
const idParams = { type: 'object', required: ['ID'], properties: { ID: { type: 'string', minLength: 1, maxLength: 32 } } } as const
const filters = { type: 'object', properties: { type: { type: 'string' }, currency: { type: 'string' } } } as const

interface OracleRow {
  id: number
  party_id_type: string
  currency: string | null
  endpoint_type: string
  endpoint: string
  is_default: number | boolean
}

/** OracleInfoGetResponse. */
function oracleView(o: OracleRow) {
  return {
    oracleId: o.id, oracleIdType: o.party_id_type, endpoint: { value: o.endpoint, endpointType: o.endpoint_type },
    currency: o.currency ?? undefined, isDefault: Boolean(o.is_default),
  }
}

/** The row id of an {ID} path parameter; ALS ids are database ids, anything else names no oracle. */
function rowId(id: string): number | undefined {
  return /^[1-9]\d{0,9}$/.test(id) ? Number(id) : undefined
}

export async function oracleAdminRoutes(app: FastifyInstance, deps: AdminDeps): Promise<void> {
  const { db } = deps
  // The ALS admin API is called with application/json or with the FSPIOP participants content type.
  parseFspiopJson(app)
  const changed = () => deps.participantChanges.changed('*oracles*')

  app.post<{ Body: OracleInfo }>('/oracles', { schema: { headers: withAccept, body: oracleInfo } }, async (request, reply) => {
    const b = request.body
    requireHttpEndpoint(b)
    await db.transaction(async (trx) => {
      await trx('oracle_endpoint').insert({ party_id_type: b.oracleIdType, currency: b.currency ?? null, endpoint_type: b.endpoint.endpointType, endpoint: b.endpoint.value, is_default: b.isDefault ?? false })
      await recordAudit(trx, { actor: actorOf(request), action: 'oracle.create', target: b.oracleIdType, detail: b })
    })
    changed()
    return reply.code(201).send()
  })

  app.get<{ Querystring: { type?: string; currency?: string } }>('/oracles', { schema: { headers: withAccept, querystring: filters } }, async (request) => {
    const query = db('oracle_endpoint').where({ is_active: true }).orderBy('id')
    if (request.query.type) query.where({ party_id_type: request.query.type })
    if (request.query.currency) query.where({ currency: request.query.currency })
    return ((await query) as OracleRow[]).map(oracleView)
  })

  // ALS updates the fields the body carries; an unknown ID is 3003 "Oracle not found".
  app.put<{ Params: { ID: string }; Body: OracleInfo }>('/oracles/:ID', { schema: { headers: withoutAccept, params: idParams, body: oracleInfo } }, async (request, reply) => {
    const id = rowId(request.params.ID)
    const b = request.body
    requireHttpEndpoint(b)
    await db.transaction(async (trx) => {
      const current = id === undefined ? undefined : await trx('oracle_endpoint').where({ id, is_active: true }).forUpdate().first()
      if (!current) throw new FspiopError('3003', 'Oracle not found')
      await trx('oracle_endpoint').where({ id }).update({
        party_id_type: b.oracleIdType, endpoint_type: b.endpoint.endpointType, endpoint: b.endpoint.value,
        ...(b.currency !== undefined ? { currency: b.currency } : {}), ...(b.isDefault !== undefined ? { is_default: b.isDefault } : {}),
      })
      await recordAudit(trx, { actor: actorOf(request), action: 'oracle.update', target: String(id), detail: b })
    })
    changed()
    return reply.code(204).send()
  })

  // ALS deactivates the oracle and answers 204, also for an ID that names none.
  app.delete<{ Params: { ID: string } }>('/oracles/:ID', { schema: { headers: withAccept, params: idParams } }, async (request, reply) => {
    const id = rowId(request.params.ID)
    if (id !== undefined) {
      await db.transaction(async (trx) => {
        const removed = await trx('oracle_endpoint').where({ id, is_active: true }).update({ is_active: false })
        if (removed) await recordAudit(trx, { actor: actorOf(request), action: 'oracle.delete', target: String(id) })
      })
      changed()
    }
    return reply.code(204).send()
  })
}
