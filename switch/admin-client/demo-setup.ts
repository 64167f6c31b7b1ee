// `agora demo-setup`: a hub with accounts and a settlement model, and two funded demo DFSPs whose
// callbacks go to --dfsp-url/<name>. Safe to run again: what exists is kept.
import { randomUUID } from 'node:crypto'
import type { AdminClient } from './admin-client.ts'
import { endpointTemplates } from '../admin/endpoint-templates.ts'

export interface DemoOptions {
  currency: string
  dfspUrl: string
  ndc: string
  funds: string
  hub: string
  names: string[]
}

/** What the admin API answers, as far as the setup reads it. */
interface ParticipantAnswer { accounts: { id: number; ledgerAccountType: string; currency: string }[] }
interface SettlementModelAnswer { currency: string | null }

export async function demoSetup(client: AdminClient, opts: DemoOptions): Promise<string[]> {
  const done: string[] = []
  const hub = await tryGet(client, `/participants/${opts.hub}`)
  for (const type of ['HUB_RECONCILIATION', 'HUB_MULTILATERAL_SETTLEMENT']) {
    if (hub?.accounts?.some((a) => a.ledgerAccountType === type && a.currency === opts.currency)) continue
    await client.request('POST', `/participants/${opts.hub}/accounts`, { type, currency: opts.currency })
    done.push(`hub ${type} account in ${opts.currency}`)
  }
  const models = (await client.request('GET', '/settlementModels')) as SettlementModelAnswer[]
  if (!models.some((m) => m.currency === opts.currency || m.currency === null)) {
    await client.request('POST', '/settlementModels', {
      name: `DEFERRED_NET_${opts.currency}`, settlementGranularity: 'NET', settlementInterchange: 'MULTILATERAL', settlementDelay: 'DEFERRED',
      currency: opts.currency, requireLiquidityCheck: true, ledgerAccountType: 'POSITION', settlementAccountType: 'SETTLEMENT', autoPositionReset: true,
    })
    done.push(`settlement model DEFERRED_NET_${opts.currency}`)
  }
  for (const name of opts.names) {
    if (await tryGet(client, `/participants/${name}`)) {
      done.push(`${name} exists, kept as it is`)
      continue
    }
    const created = (await client.request('POST', '/participants', { name, currency: opts.currency })) as ParticipantAnswer
    await client.request('POST', `/participants/${name}/initialPositionAndLimits`, {
      currency: opts.currency, limit: { type: 'NET_DEBIT_CAP', value: opts.ndc }, initialPosition: 0,
    })
    const settlement = created.accounts.find((a) => a.ledgerAccountType === 'SETTLEMENT' && a.currency === opts.currency)
    if (!settlement) throw new Error(`${name} was created without a SETTLEMENT account in ${opts.currency}`)
    await client.request('POST', `/participants/${name}/accounts/${settlement.id}`, {
      transferId: randomUUID(), externalReference: 'demo-setup', action: 'recordFundsIn', reason: 'demo funds', amount: { amount: opts.funds, currency: opts.currency },
    })
    for (const [type, value] of Object.entries(endpointTemplates(`${opts.dfspUrl.replace(/\/$/, '')}/${name}`))) {
      await client.request('POST', `/participants/${name}/endpoints`, { type, value })
    }
    done.push(`${name}: ${opts.currency} accounts, NDC ${opts.ndc}, funds ${opts.funds}, endpoints at ${opts.dfspUrl}/${name}`)
  }
  return done
}

async function tryGet(client: AdminClient, path: string): Promise<ParticipantAnswer | undefined> {
  try {
    return (await client.request('GET', path)) as ParticipantAnswer
  } catch (error) {
    if (String(error).includes('3200')) return undefined
    throw error
  }
}
