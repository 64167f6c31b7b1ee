// Onboarding through the admin API, as an operator would: the hub's accounts and a settlement model,
// then DFSPs with a currency, a net debit cap, funds in and callback endpoints, and FXPs with several currencies.
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

export interface CurrencyAccounts { positionAccountId: number; settlementAccountId: number }

/** A DFSP ready to transact: accounts, NDC, funds in, endpoints. Returns its account ids. */
export async function onboardDfsp(admin: FastifyInstance, dfsp: DfspSetup): Promise<CurrencyAccounts> {
  const accounts = await addCurrency(admin, dfsp.name, dfsp.currency ?? 'USD', dfsp.ndc ?? '10000', dfsp.fundsIn)
  if (dfsp.endpointBase) await registerEndpoints(admin, dfsp.name, dfsp.endpointBase)
  return accounts
}

export interface FxpSetup {
  name: string
  /** The currencies it converts between: POSITION and SETTLEMENT accounts in each (at least two). */
  currencies: readonly string[]
  /** Net debit cap, the same in every currency or per currency (default 10000). */
  ndc?: string | Readonly<Record<string, string>>
  /** Funds in, the same in every currency or per currency (default none). */
  fundsIn?: string | Readonly<Record<string, string>>
  endpointBase?: string
  /** The hub whose accounts and settlement model each currency needs (setupHub, idempotent). */
  hubName?: string
}

/**
 * A foreign exchange provider: one participant with accounts, a net debit cap and funds in each currency,
 * added as central-ledger's admin API adds a currency (POST /participants again with the same name and
 * another currency), and the callback endpoints (FSPIOP_CALLBACK_URL_FX_QUOTES among them). The hub's
 * accounts and settlement model are set up for each currency first. Returns the account ids by currency.
 * What makes it an FXP to the switch: switch/fx/fxp-directory.ts.
 */
export async function onboardFxp(admin: FastifyInstance, fxp: FxpSetup): Promise<Record<string, CurrencyAccounts>> {
  if (new Set(fxp.currencies).size < 2) throw new Error(`onboardFxp ${fxp.name}: an FXP needs at least two currencies, got ${fxp.currencies.join(', ')}`)
  const per = (value: string | Readonly<Record<string, string>> | undefined, currency: string) => (typeof value === 'string' || value === undefined ? value : value[currency])
  const accounts: Record<string, CurrencyAccounts> = {}
  for (const currency of fxp.currencies) {
    await setupHub(admin, currency, fxp.hubName)
    accounts[currency] = await addCurrency(admin, fxp.name, currency, per(fxp.ndc, currency) ?? '10000', per(fxp.fundsIn, currency))
  }
  if (fxp.endpointBase) await registerEndpoints(admin, fxp.name, fxp.endpointBase)
  return accounts
}

/** Creates the participant or adds the currency to it (central-ledger's POST /participants), with its NDC and funds in. */
async function addCurrency(admin: FastifyInstance, name: string, currency: string, ndc: string, fundsIn: string | undefined): Promise<CurrencyAccounts> {
  const created = await expectStatus(admin, 'POST', '/participants', { name, currency }, 201)
  await expectStatus(admin, 'POST', `/participants/${name}/initialPositionAndLimits`, {
    currency, limit: { type: 'NET_DEBIT_CAP', value: ndc }, initialPosition: 0,
  }, 201)
  const account = (type: string) => {
    const found = (created.accounts as { id: number; currency: string; ledgerAccountType: string }[]).find((a) => a.currency === currency && a.ledgerAccountType === type)
    if (!found) throw new Error(`POST /participants ${name} ${currency}: no ${type} account in ${JSON.stringify(created.accounts)}`)
    return found.id
  }
  const settlementAccountId = account('SETTLEMENT')
  if (fundsIn && fundsIn !== '0') {
    await expectStatus(admin, 'POST', `/participants/${name}/accounts/${settlementAccountId}`, {
      transferId: randomUUID(), externalReference: 'onboarding', action: 'recordFundsIn', reason: 'initial funds',
      amount: { amount: fundsIn, currency },
    }, 202)
  }
  return { positionAccountId: account('POSITION'), settlementAccountId }
}

async function registerEndpoints(admin: FastifyInstance, name: string, base: string): Promise<void> {
  for (const [type, value] of Object.entries(endpointTemplates(base))) {
    await expectStatus(admin, 'POST', `/participants/${name}/endpoints`, { type, value }, 201)
  }
}
