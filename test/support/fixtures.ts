// Onboarding through the admin API, as an operator would: the hub's accounts and a settlement model,
// then DFSPs with a currency, a net debit cap, funds in and callback endpoints.
import type { FastifyInstance } from 'fastify'
import { randomUUID } from 'node:crypto'
import { endpointTemplates } from '../../switch/admin/endpoint-templates.ts'

const adminTokens = new WeakMap<FastifyInstance, string>()

/** The bearer token `call` sends to this (production) admin app. */
export function useAdminToken(admin: FastifyInstance, token: string): void {
  adminTokens.set(admin, token)
}

export async function call(admin: FastifyInstance, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) {
  const token = adminTokens.get(admin)
  const headers = token ? { authorization: `Bearer ${token}` } : { 'x-agora-operator': 'test-operator' }
  const response = await admin.inject({ method, url, payload: payload as object, headers })
  return { status: response.statusCode, body: response.body ? response.json() : undefined }
}

async function expectStatus(admin: FastifyInstance, method: 'GET' | 'POST' | 'PUT', url: string, payload: unknown, status: number) {
  const r = await call(admin, method, url, payload)
  if (r.status !== status) throw new Error(`${method} ${url} answered ${r.status}: ${JSON.stringify(r.body)}`)
  return r.body
}

/** Hub accounts and a deferred net settlement model for the currency. Idempotent per currency. */
export async function setupHub(admin: FastifyInstance, currency = 'USD', hubName = 'Hub'): Promise<void> {
  const hub = await call(admin, 'GET', `/participants/${hubName}`)
  const has = (type: string) => hub.status === 200 && hub.body.accounts.some((a: any) => a.currency === currency && a.ledgerAccountType === type)
  for (const type of ['HUB_RECONCILIATION', 'HUB_MULTILATERAL_SETTLEMENT']) {
    if (!has(type)) await expectStatus(admin, 'POST', `/participants/${hubName}/accounts`, { type, currency }, 201)
  }
  const models = (await call(admin, 'GET', '/settlementModels')).body as any[]
  if (!models.some((m) => m.currency === currency)) {
    await expectStatus(admin, 'POST', '/settlementModels', {
      name: `DEFERRED_NET_${currency}`, settlementGranularity: 'NET', settlementInterchange: 'MULTILATERAL', settlementDelay: 'DEFERRED',
      currency, requireLiquidityCheck: true, ledgerAccountType: 'POSITION', settlementAccountType: 'SETTLEMENT', autoPositionReset: true,
    }, 201)
  }
}

export interface DfspSetup {
  name: string
  currency?: string
  ndc?: string
  fundsIn?: string
  endpointBase?: string
}

/** A DFSP ready to transact: accounts, NDC, funds in, endpoints. Returns its account ids. */
export async function onboardDfsp(admin: FastifyInstance, dfsp: DfspSetup): Promise<{ positionAccountId: number; settlementAccountId: number }> {
  const currency = dfsp.currency ?? 'USD'
  const created = await expectStatus(admin, 'POST', '/participants', { name: dfsp.name, currency }, 201)
  await expectStatus(admin, 'POST', `/participants/${dfsp.name}/initialPositionAndLimits`, {
    currency, limit: { type: 'NET_DEBIT_CAP', value: dfsp.ndc ?? '10000' }, initialPosition: 0,
  }, 201)
  const account = (type: string) => created.accounts.find((a: any) => a.currency === currency && a.ledgerAccountType === type).id as number
  const settlementAccountId = account('SETTLEMENT')
  if (dfsp.fundsIn && dfsp.fundsIn !== '0') {
    await expectStatus(admin, 'POST', `/participants/${dfsp.name}/accounts/${settlementAccountId}`, {
      transferId: randomUUID(), externalReference: 'onboarding', action: 'recordFundsIn', reason: 'initial funds',
      amount: { amount: dfsp.fundsIn, currency },
    }, 202)
  }
  if (dfsp.endpointBase) {
    for (const [type, value] of Object.entries(endpointTemplates(dfsp.endpointBase))) {
      await expectStatus(admin, 'POST', `/participants/${dfsp.name}/endpoints`, { type, value }, 201)
    }
  }
  return { positionAccountId: account('POSITION'), settlementAccountId }
}
