// Settlement models: POST/GET /settlementModels (Mojaloop central-ledger shapes and answers).
import type { FastifyInstance } from 'fastify'
import { FspiopError } from '../fspiop/errors.ts'
import { recordAudit } from '../../ledger/store/audit.ts'
import { coveringModel, createSettlementModel, findSettlementModel, listSettlementModels, type SettlementModel } from '../../ledger/store/settlement-models.ts'
import { actorOf } from './operator.ts'
import { settlementModelBody } from './schemas.ts'
import { requireCurrency } from './participants-routes.ts'
import type { AdminDeps } from './admin-deps.ts'

type SettlementModelBody = Omit<SettlementModel, 'currency'> & { currency?: string | null }

export async function settlementModelsRoutes(app: FastifyInstance, deps: AdminDeps): Promise<void> {
  const { db } = deps

  app.post<{ Body: SettlementModelBody }>('/settlementModels', { schema: { body: settlementModelBody } }, async (request, reply) => {
    const m: SettlementModel = { ...request.body, currency: request.body.currency ?? null }
    if (m.settlementGranularity === 'GROSS' && m.settlementDelay !== 'IMMEDIATE') throw new FspiopError('3100', 'a GROSS model settles IMMEDIATE')
    if (m.settlementGranularity === 'NET' && m.settlementDelay !== 'DEFERRED') throw new FspiopError('3100', 'a NET model settles DEFERRED')
    await db.transaction(async (trx) => {
      if (m.currency) await requireCurrency(trx, m.currency)
      // central-ledger's answer to a model name that exists: 3000 (HTTP 400) with this text.
      if (await findSettlementModel(trx, m.name)) throw new FspiopError('3000', 'Settlement Model already exists')
      const clash = await coveringModel(trx, m)
      if (clash) throw new FspiopError('3000', `settlement model ${clash.name} already covers ${m.ledgerAccountType} in ${m.currency ?? 'every currency'}`)
      await createSettlementModel(trx, m)
      await recordAudit(trx, { actor: actorOf(request), action: 'settlementModel.create', target: m.name, detail: request.body })
    })
    return reply.code(201).send()
  })

  app.get('/settlementModels', async () => {
    return (await listSettlementModels(db)).map((model) => ({
      settlementModelId: model.id, name: model.name, isActive: model.isActive ? 1 : 0, settlementGranularity: model.settlementGranularity,
      settlementInterchange: model.settlementInterchange, settlementDelay: model.settlementDelay, currency: model.currency,
      requireLiquidityCheck: model.requireLiquidityCheck, ledgerAccountType: model.ledgerAccountType,
      settlementAccountType: model.settlementAccountType, autoPositionReset: model.autoPositionReset,
    }))
  })
}
