// `agora settlement …`: windows and settlements from the shell, through the central-settlement API.
import { parseArgs } from 'node:util'
import { adminClientFrom } from '../admin-client/admin-client.ts'
import { SETTLEMENT_STATES } from '../../ledger/domain/settlement.ts'

export const SETTLEMENT_USAGE = `settlement windows [--state OPEN|CLOSED|…]
  settlement close-window [ID] [--reason TEXT]      (ID: the open window by default)
  settlement create --windows 1,2 [--model DEFERRED_NET_USD] [--reason TEXT]
  settlement advance ID --to ${SETTLEMENT_STATES.slice(1).join('|')}   (every account of the settlement)
  settlement abort ID [--reason TEXT]
  settlement show ID`

export async function settlementCommand(argv: string[]): Promise<void> {
  const { values: f, positionals } = parseArgs({
    args: argv, allowPositionals: true, strict: false,
    options: { admin: { type: 'string' }, operator: { type: 'string' }, token: { type: 'string' }, cert: { type: 'string' }, key: { type: 'string' }, ca: { type: 'string' }, state: { type: 'string' }, reason: { type: 'string' }, windows: { type: 'string' }, model: { type: 'string' }, to: { type: 'string' } },
  })
  const client = adminClientFrom(f, f)
  const [sub, id] = positionals
  const reason = (f.reason as string) ?? `agora settlement ${sub}`
  const print = (v: unknown) => console.log(JSON.stringify(v, null, 2))
  switch (sub) {
    case 'windows':
      return print(await client.request('GET', `/v2/settlementWindows${f.state ? `?state=${f.state}` : ''}`))
    case 'close-window': {
      const windowId = id ?? ((await client.request('GET', '/v2/settlementWindows?state=OPEN')) as { settlementWindowId: number }[])[0]!.settlementWindowId
      return print(await client.request('POST', `/v2/settlementWindows/${windowId}`, { state: 'CLOSED', reason }))
    }
    case 'create': {
      if (!f.windows) throw new Error('--windows is required')
      const settlementWindows = String(f.windows).split(',').map((w) => ({ id: Number(w) }))
      return print(await client.request('POST', '/v2/settlements', { settlementModel: (f.model as string) ?? 'DEFERRED_NET_USD', reason, settlementWindows }))
    }
    case 'advance': {
      if (!id || !f.to) throw new Error('usage: settlement advance ID --to STATE')
      const settlement = (await client.request('GET', `/v2/settlements/${id}`)) as { participants: { id: number; accounts: { id: number }[] }[] }
      const participants = settlement.participants.map((p) => ({ id: p.id, accounts: p.accounts.map((a) => ({ id: a.id, state: f.to, reason })) }))
      return print(await client.request('PUT', `/v2/settlements/${id}`, { participants }))
    }
    case 'abort':
      return print(await client.request('PUT', `/v2/settlements/${id}`, { state: 'ABORTED', reason }))
    case 'show':
      return print(await client.request('GET', `/v2/settlements/${id}`))
    default:
      throw new Error(`usage:\n  ${SETTLEMENT_USAGE}`)
  }
}
