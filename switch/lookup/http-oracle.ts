// An external oracle over Mojaloop's oracle API (GET/POST/DELETE {endpoint}/participants/{Type}/{ID}),
// and the routing oracle that sends each party id type to its registered oracle, or to the built-in one.
import { request } from 'undici'
import type { Db } from '../../ledger/store/db.ts'
import type { ParticipantChanges } from '../admin/participant-changes.ts'
import type { Oracle, PartyKey } from './oracle.ts'

export const ORACLE_TIMEOUT_MS = 5_000

export function createHttpOracle(endpoint: string): Oracle {
  const url = (k: PartyKey) => `${endpoint.replace(/\/$/, '')}/participants/${encodeURIComponent(k.type)}/${encodeURIComponent(k.id)}${k.subId ? `/${encodeURIComponent(k.subId)}` : ''}`
  const headers = { 'content-type': 'application/json', accept: 'application/json', date: new Date().toUTCString() }
  return {
    async lookup(key) {
      const r = await request(url(key), { method: 'GET', headers, headersTimeout: ORACLE_TIMEOUT_MS, bodyTimeout: ORACLE_TIMEOUT_MS })
      if (r.statusCode === 404) { await r.body.dump(); return undefined }
      if (r.statusCode >= 300) { await r.body.dump(); throw new Error(`oracle ${endpoint} answered ${r.statusCode}`) }
      const body = (await r.body.json()) as { partyList?: { fspId?: string }[] }
      return body.partyList?.[0]?.fspId
    },
    async register(key, fspId, currency) {
      const r = await request(url(key), { method: 'POST', headers, body: JSON.stringify({ fspId, currency }), headersTimeout: ORACLE_TIMEOUT_MS })
      await r.body.dump()
      return r.statusCode < 300
    },
    async remove(key, fspId) {
      const r = await request(`${url(key)}?fspId=${encodeURIComponent(fspId)}`, { method: 'DELETE', headers, headersTimeout: ORACLE_TIMEOUT_MS })
      await r.body.dump()
      return r.statusCode < 300
    },
  }
}

/** Picks the oracle registered for the party id type (the table is re-read after an operator change). */
export function createRoutingOracle(db: Db, changes: ParticipantChanges, builtIn: Oracle): Oracle {
  let routes: Promise<Map<string, Oracle>> | undefined
  changes.onChange((name) => { if (name === '*oracles*') routes = undefined })
  const load = async () => new Map((await db('oracle_endpoint').where({ is_active: true })).map((o: any) => [o.party_id_type as string, createHttpOracle(o.endpoint)]))
  const pick = async (key: PartyKey) => ((await (routes ??= load())).get(key.type) ?? builtIn)
  return {
    lookup: async (key) => (await pick(key)).lookup(key),
    register: async (key, fspId, currency) => (await pick(key)).register(key, fspId, currency),
    remove: async (key, fspId) => (await pick(key)).remove(key, fspId),
  }
}
