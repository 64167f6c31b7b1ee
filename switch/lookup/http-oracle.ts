// An external oracle over Mojaloop's oracle API, with the URLs ALS calls (central-services-shared
// FspEndpointTemplates ORACLE_PARTICIPANTS_*): GET/POST/DELETE {endpoint}/participants/{Type}/{ID}, the
// currency and partySubIdOrType as query parameters (in the body of a POST); and the routing oracle that
// sends each lookup to the oracle registered for its party id type and currency, or to the built-in one.
import { request } from 'undici'
import type { Db } from '../../ledger/store/db.ts'
import type { ParticipantChanges } from '../fspiop/participant-changes.ts'
import { FspiopError } from '../fspiop/errors.ts'
import { lookupEach, registerEach, type Oracle, type PartyKey } from './oracle.ts'
import { chooseOracle, type OracleRoute } from './oracle-routing.ts'

export const ORACLE_TIMEOUT_MS = 5_000

export function createHttpOracle(endpoint: string): Oracle {
  const url = (k: PartyKey, query: Record<string, string | undefined>) => {
    const search = new URLSearchParams()
    for (const [name, value] of Object.entries(query)) if (value !== undefined) search.set(name, value)
    const qs = search.toString()
    return `${endpoint.replace(/\/$/, '')}/participants/${encodeURIComponent(k.type)}/${encodeURIComponent(k.id)}${qs ? `?${qs}` : ''}`
  }
  const headers = () => ({ 'content-type': 'application/json', accept: 'application/json', date: new Date().toUTCString() })
  // An oracle that cannot be reached is a destination communication error (1001), as ALS reports it.
  const call = async (target: string, options: Parameters<typeof request>[1]) => {
    try {
      return await request(target, { ...options, headers: headers(), headersTimeout: ORACLE_TIMEOUT_MS, bodyTimeout: ORACLE_TIMEOUT_MS })
    } catch (error) {
      throw new FspiopError('1001', `oracle ${endpoint}: ${(error as Error).message}`)
    }
  }
  const oracle: Oracle = {
    async lookup(key, currency) {
      const r = await call(url(key, { currency, partySubIdOrType: key.subId }), { method: 'GET' })
      if (r.statusCode === 404) { await r.body.dump(); return undefined }
      if (r.statusCode >= 300) { await r.body.dump(); throw new FspiopError('1001', `oracle ${endpoint} answered ${r.statusCode}`) }
      const body = (await r.body.json()) as { partyList?: { fspId?: string }[] }
      return body.partyList?.[0]?.fspId
    },
    async register(key, fspId, currency) {
      const body = JSON.stringify({ fspId, currency, partySubIdOrType: key.subId })
      const r = await call(url(key, {}), { method: 'POST', body })
      await r.body.dump()
      return r.statusCode < 300
    },
    async remove(key, fspId) {
      const r = await call(url(key, { partySubIdOrType: key.subId, fspId }), { method: 'DELETE' })
      await r.body.dump()
      return r.statusCode < 300
    },
    registerAll: (keys, fspId, currency) => registerEach(oracle, keys, fspId, currency),
    lookupAll: (keys, currency) => lookupEach(oracle, keys, currency),
  }
  return oracle
}

interface OracleEndpointRow {
  id: number
  party_id_type: string
  currency: string | null
  endpoint: string
  is_default: number | boolean
}

/** Picks the oracle registered for the party id type (and currency); the table is re-read after an operator change. */
export function createRoutingOracle(db: Db, changes: ParticipantChanges, builtIn: Oracle): Oracle {
  let routes: Promise<OracleRoute<Oracle>[]> | undefined
  changes.onChange((name) => { if (name === '*oracles*') routes = undefined })
  const load = async () => ((await db('oracle_endpoint').where({ is_active: true }).orderBy('id')) as OracleEndpointRow[]).map((o) => ({
    id: o.id, partyIdType: o.party_id_type, currency: o.currency ?? undefined, isDefault: Boolean(o.is_default), target: createHttpOracle(o.endpoint),
  }))
  const pick = async (key: PartyKey, currency?: string) => {
    const chosen = chooseOracle(await (routes ??= load().catch((error) => { routes = undefined; throw error })), key.type, currency)
    return chosen === 'built-in' ? builtIn : chosen
  }
  return {
    // ALS picks by currency only for lookups; a registration or removal goes to the oracle of the type.
    lookup: async (key, currency) => (await pick(key, currency)).lookup(key, currency),
    register: async (key, fspId, currency) => (await pick(key)).register(key, fspId, currency),
    remove: async (key, fspId) => (await pick(key)).remove(key, fspId),
    lookupAll: async (keys, currency) => byOracle(keys, (key) => pick(key, currency), (oracle, own) => oracle.lookupAll(own, currency)),
    registerAll: async (keys, fspId, currency) => byOracle(keys, (key) => pick(key), (oracle, own) => oracle.registerAll(own, fspId, currency)),
  }
}

/** Each oracle takes the parties of its types in one call; a type no oracle serves is refused party by party. */
async function byOracle<T>(keys: readonly PartyKey[], pick: (key: PartyKey) => Promise<Oracle>, ask: (oracle: Oracle, keys: PartyKey[]) => Promise<(T | FspiopError)[]>): Promise<(T | FspiopError)[]> {
  const results: (T | FspiopError)[] = new Array(keys.length)
  const groups = new Map<Oracle, number[]>()
  for (const [i, key] of keys.entries()) {
    try {
      const oracle = await pick(key)
      const indexes = groups.get(oracle)
      if (indexes) indexes.push(i)
      else groups.set(oracle, [i])
    } catch (error) {
      if (!(error instanceof FspiopError)) throw error
      results[i] = error
    }
  }
  for (const [oracle, indexes] of groups) {
    const answers = await ask(oracle, indexes.map((i) => keys[i]!))
    for (const [n, i] of indexes.entries()) results[i] = answers[n]!
  }
  return results
}
