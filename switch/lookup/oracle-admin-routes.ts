// The account-lookup admin API for oracles, as Mojaloop's ALS has it: POST/GET /oracles,
// PUT/DELETE /oracles/{ID}. A registered oracle serves its party id type (and currency) from then on;
// types without one are served by the built-in oracle.
import type { FastifyInstance } from 'fastify'
import { FspiopError } from '../fspiop/errors.ts'
import { recordAudit } from '../../ledger/store/audit.ts'
import { actorOf } from '../admin/operator.ts'
import { PARTY_ID_TYPES } from './lookup-schemas.ts'
import type { AdminDeps } from '../admin/admin-deps.ts'

const oracleBody = {
  type: 'object', required: ['oracleIdType', 'endpoint', 'partyIdType'],
  properties: {
    oracleIdType: { type: 'string', enum: ['URL'] },
    endpoint: { type: 'object', required: ['value', 'endpointType'], properties: { value: { type: 'string', pattern: '^https?://', maxLength: 512 }, endpointType: { type: 'string', enum: ['URL'] } } },
    currency: { type: 'string', pattern: '^[A-Z]{3}$' },
    isDefault: { type: 'boolean' },
    partyIdType: { type: 'string', enum: [...PARTY_ID_TYPES] },
  },
} as const
type OracleBody = { oracleIdType: 'URL'; endpoint: { value: string; endpointType: 'URL' }; currency?: string; isDefault?: boolean; partyIdType: string }
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'integer', minimum: 1 } } } as const

export async function oracleAdminRoutes(app: FastifyInstance, deps: AdminDeps): Promise<void> {
  const { db } = deps
  const row = (b: OracleBody) => ({ party_id_type: b.partyIdType, currency: b.currency ?? null, endpoint_type: b.endpoint.endpointType, endpoint: b.endpoint.value, is_default: b.isDefault ?? false })

  app.post<{ Body: OracleBody }>('/oracles', { schema: { body: oracleBody } }, async (request, reply) => {
    await db.transaction(async (trx) => {
      await trx('oracle_endpoint').insert(row(request.body))
      await recordAudit(trx, { actor: actorOf(request), action: 'oracle.create', target: request.body.partyIdType, detail: request.body })
    })
    deps.participantChanges.changed('*oracles*')
    return reply.code(201).send()
  })

  app.get<{ Querystring: { type?: string; currency?: string } }>('/oracles', async (request) => {
    const query = db('oracle_endpoint').where({ is_active: true }).orderBy('id')
    if (request.query.type) query.where({ party_id_type: request.query.type })
    if (request.query.currency) query.where({ currency: request.query.currency })
    return (await query).map((o: any) => ({
      oracleId: o.id, oracleIdType: o.endpoint_type, endpoint: { value: o.endpoint, endpointType: o.endpoint_type },
      currency: o.currency ?? undefined, isDefault: Boolean(o.is_default), partyIdType: o.party_id_type,
    }))
  })

  app.put<{ Params: { id: number }; Body: OracleBody }>('/oracles/:id', { schema: { params: idParams, body: oracleBody } }, async (request, reply) => {
    await db.transaction(async (trx) => {
      const updated = await trx('oracle_endpoint').where({ id: request.params.id, is_active: true }).update(row(request.body))
      if (!updated) throw new FspiopError('3200', `oracle ${request.params.id} does not exist`)
      await recordAudit(trx, { actor: actorOf(request), action: 'oracle.update', target: String(request.params.id), detail: request.body })
    })
    deps.participantChanges.changed('*oracles*')
    return reply.code(204).send()
  })

  app.delete<{ Params: { id: number } }>('/oracles/:id', { schema: { params: idParams } }, async (request, reply) => {
    await db.transaction(async (trx) => {
      const updated = await trx('oracle_endpoint').where({ id: request.params.id, is_active: true }).update({ is_active: false })
      if (!updated) throw new FspiopError('3200', `oracle ${request.params.id} does not exist`)
      await recordAudit(trx, { actor: actorOf(request), action: 'oracle.delete', target: String(request.params.id) })
    })
    deps.participantChanges.changed('*oracles*')
    return reply.code(204).send()
  })
}
