// Settlement models: POST/GET /settlementModels (Mojaloop central-ledger shapes).
import type { FastifyInstance } from 'fastify'
import { FspiopError } from '../fspiop/errors.ts'
import { recordAudit } from '../../ledger/store/audit.ts'
import { actorOf } from './operator.ts'
import { settlementModelBody } from './schemas.ts'
import { requireCurrency } from './participants-routes.ts'
import type { AdminDeps } from './admin-deps.ts'

interface SettlementModelBody {
  name: string
  settlementGranularity: 'GROSS' | 'NET'
  settlementInterchange: 'BILATERAL' | 'MULTILATERAL'
  settlementDelay: 'IMMEDIATE' | 'DEFERRED'
  currency?: string | null
  requireLiquidityCheck: boolean
  ledgerAccountType: string
  settlementAccountType: string
  autoPositionReset: boolean
}

export async function settlementModelsRoutes(app: FastifyInstance, deps: AdminDeps): Promise<void> {
  const { db } = deps

  app.post<{ Body: SettlementModelBody }>('/settlementModels', { schema: { body: settlementModelBody } }, async (request, reply) => {
    const m = request.body
    if (m.settlementGranularity === 'GROSS' && m.settlementDelay !== 'IMMEDIATE') throw new FspiopError('3100', 'a GROSS model settles IMMEDIATE')
    if (m.settlementGranularity === 'NET' && m.settlementDelay !== 'DEFERRED') throw new FspiopError('3100', 'a NET model settles DEFERRED')
    await db.transaction(async (trx) => {
      if (m.currency) await requireCurrency(trx, m.currency)
      if (await trx('settlement_model').where({ name: m.name }).first()) throw new FspiopError('3000', `settlement model ${m.name} already exists`)
      const clash = await trx('settlement_model').where({ ledger_account_type: m.ledgerAccountType, currency: m.currency ?? null, is_active: true }).first()
      if (clash) throw new FspiopError('3000', `settlement model ${clash.name} already covers ${m.ledgerAccountType} in ${m.currency ?? 'every currency'}`)
      await trx('settlement_model').insert({
        name: m.name, settlement_granularity: m.settlementGranularity, settlement_interchange: m.settlementInterchange,
        settlement_delay: m.settlementDelay, currency: m.currency ?? null, require_liquidity_check: m.requireLiquidityCheck,
        ledger_account_type: m.ledgerAccountType, settlement_account_type: m.settlementAccountType, auto_position_reset: m.autoPositionReset,
      })
      await recordAudit(trx, { actor: actorOf(request), action: 'settlementModel.create', target: m.name, detail: m })
    })
    return reply.code(201).send()
  })

  app.get('/settlementModels', async () => {
    const rows = await db('settlement_model').orderBy('id')
    return rows.map((r: any) => ({
      settlementModelId: r.id, name: r.name, isActive: r.is_active ? 1 : 0, settlementGranularity: r.settlement_granularity,
      settlementInterchange: r.settlement_interchange, settlementDelay: r.settlement_delay, currency: r.currency,
      requireLiquidityCheck: Boolean(r.require_liquidity_check), ledgerAccountType: r.ledger_account_type,
      settlementAccountType: r.settlement_account_type, autoPositionReset: Boolean(r.auto_position_reset),
    }))
  })
}
