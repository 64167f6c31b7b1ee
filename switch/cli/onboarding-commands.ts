// `agora` onboarding subcommands: each maps to one admin API call.
import { randomUUID } from 'node:crypto'
import type { AdminClient } from '../admin-client/admin-client.ts'
import { endpointTemplates } from '../admin/endpoint-templates.ts'

export type Flags = Record<string, string | boolean | undefined>
export type Command = (client: AdminClient, args: string[], flags: Flags) => Promise<unknown>

function need(flags: Flags, name: string): string {
  const value = flags[name]
  if (typeof value !== 'string' || value === '') throw new Error(`--${name} is required`)
  return value
}

function arg(args: string[], i: number, what: string): string {
  const value = args[i]
  if (!value) throw new Error(`missing ${what}`)
  return value
}

async function settlementAccountId(client: AdminClient, name: string, currency: string): Promise<number> {
  const accounts = (await client.request('GET', `/participants/${name}/accounts`)) as { id: number; ledgerAccountType: string; currency: string }[]
  const account = accounts.find((a) => a.ledgerAccountType === 'SETTLEMENT' && a.currency === currency)
  if (!account) throw new Error(`${name} has no ${currency} settlement account`)
  return account.id
}

export const COMMANDS: Record<string, { usage: string; run: Command }> = {
  'participants list': { usage: 'participants list', run: (c) => c.request('GET', '/participants') },
  'participants show': { usage: 'participants show NAME', run: (c, a) => c.request('GET', `/participants/${arg(a, 0, 'NAME')}`) },
  'participants create': {
    usage: 'participants create NAME --currency USD',
    run: (c, a, f) => c.request('POST', '/participants', { name: arg(a, 0, 'NAME'), currency: need(f, 'currency') }),
  },
  'participants activate': { usage: 'participants activate NAME', run: (c, a) => c.request('PUT', `/participants/${arg(a, 0, 'NAME')}`, { isActive: true }) },
  'participants deactivate': { usage: 'participants deactivate NAME', run: (c, a) => c.request('PUT', `/participants/${arg(a, 0, 'NAME')}`, { isActive: false }) },
  'participants api-mode': {
    usage: 'participants api-mode NAME [--mode FSPIOP|ISO20022]   (shows it without --mode)',
    run: (c, a, f) => f.mode === undefined
      ? c.request('GET', `/participants/${arg(a, 0, 'NAME')}/apiMode`)
      : c.request('PUT', `/participants/${arg(a, 0, 'NAME')}/apiMode`, { apiMode: need(f, 'mode') }),
  },
  accounts: { usage: 'accounts NAME', run: (c, a) => c.request('GET', `/participants/${arg(a, 0, 'NAME')}/accounts`) },
  positions: { usage: 'positions NAME', run: (c, a) => c.request('GET', `/participants/${arg(a, 0, 'NAME')}/positions`) },
  'limits get': { usage: 'limits get NAME', run: (c, a) => c.request('GET', `/participants/${arg(a, 0, 'NAME')}/limits`) },
  'limits set': {
    usage: 'limits set NAME --currency USD --ndc 10000 [--initial]',
    run: (c, a, f) => {
      const name = arg(a, 0, 'NAME')
      const limit = { type: 'NET_DEBIT_CAP', value: need(f, 'ndc') }
      return f.initial
        ? c.request('POST', `/participants/${name}/initialPositionAndLimits`, { currency: need(f, 'currency'), limit, initialPosition: 0 })
        : c.request('PUT', `/participants/${name}/limits`, { currency: need(f, 'currency'), limit })
    },
  },
  'endpoints list': { usage: 'endpoints list NAME', run: (c, a) => c.request('GET', `/participants/${arg(a, 0, 'NAME')}/endpoints`) },
  'endpoints set': {
    usage: 'endpoints set NAME --type FSPIOP_CALLBACK_URL_TRANSFER_PUT --value URL',
    run: (c, a, f) => c.request('POST', `/participants/${arg(a, 0, 'NAME')}/endpoints`, { type: need(f, 'type'), value: need(f, 'value') }),
  },
  'endpoints base': {
    usage: 'endpoints base NAME --value URL   (every FSPIOP callback endpoint under one base URL: a connector\'s)',
    run: async (c, a, f) => {
      const name = arg(a, 0, 'NAME')
      const templates = Object.entries(endpointTemplates(need(f, 'value').replace(/\/$/, '')))
      for (const [type, value] of templates) await c.request('POST', `/participants/${name}/endpoints`, { type, value })
      return { name, endpoints: templates.length, base: need(f, 'value') }
    },
  },
  'funds in': {
    usage: 'funds in NAME --currency USD --amount 1000 [--reason TEXT]',
    run: async (c, a, f) => {
      const name = arg(a, 0, 'NAME')
      const currency = need(f, 'currency')
      const transferId = randomUUID()
      await c.request('POST', `/participants/${name}/accounts/${await settlementAccountId(c, name, currency)}`, {
        transferId, externalReference: 'agora-cli', action: 'recordFundsIn', reason: (f.reason as string) ?? 'funds in', amount: { amount: need(f, 'amount'), currency },
      })
      return { transferId, state: 'COMMITTED' }
    },
  },
  'funds out': {
    usage: 'funds out NAME --currency USD --amount 100 [--reason TEXT]   (reserves, then commits)',
    run: async (c, a, f) => {
      const name = arg(a, 0, 'NAME')
      const currency = need(f, 'currency')
      const id = await settlementAccountId(c, name, currency)
      const transferId = randomUUID()
      const reason = (f.reason as string) ?? 'funds out'
      await c.request('POST', `/participants/${name}/accounts/${id}`, {
        transferId, externalReference: 'agora-cli', action: 'recordFundsOutPrepareReserve', reason, amount: { amount: need(f, 'amount'), currency },
      })
      await c.request('PUT', `/participants/${name}/accounts/${id}/transfers/${transferId}`, { action: 'recordFundsOutCommit', reason })
      return { transferId, state: 'COMMITTED' }
    },
  },
  'hub-accounts create': {
    usage: 'hub-accounts create --currency USD   (HUB_RECONCILIATION and HUB_MULTILATERAL_SETTLEMENT)',
    run: async (c, _a, f) => {
      const currency = need(f, 'currency')
      for (const type of ['HUB_RECONCILIATION', 'HUB_MULTILATERAL_SETTLEMENT']) {
        await c.request('POST', `/participants/${(f.hub as string) ?? 'Hub'}/accounts`, { type, currency })
      }
      return { currency, created: ['HUB_RECONCILIATION', 'HUB_MULTILATERAL_SETTLEMENT'] }
    },
  },
  'settlement-models list': { usage: 'settlement-models list', run: (c) => c.request('GET', '/settlementModels') },
  'settlement-models create': {
    usage: 'settlement-models create NAME --currency USD [--gross]',
    run: (c, a, f) => c.request('POST', '/settlementModels', {
      name: arg(a, 0, 'NAME'), currency: need(f, 'currency'),
      settlementGranularity: f.gross ? 'GROSS' : 'NET', settlementInterchange: f.gross ? 'BILATERAL' : 'MULTILATERAL',
      settlementDelay: f.gross ? 'IMMEDIATE' : 'DEFERRED', requireLiquidityCheck: true, ledgerAccountType: 'POSITION',
      settlementAccountType: 'SETTLEMENT', autoPositionReset: true,
    }),
  },
}
