// Which DFSP holds a party. An Oracle is an interface, so a scheme can plug in an external one; the
// built-in one keeps the mapping in MySQL with an in-memory cache in front (entries dropped on write).
import type { Db } from '../../ledger/store/db.ts'
import { FspiopError } from '../fspiop/errors.ts'

export interface PartyKey {
  type: string
  id: string
  subId?: string
}

export interface Oracle {
  /** The DFSP that holds the party; a currency (GET /participants/{Type}/{ID}?currency=) also picks the oracle. */
  lookup(key: PartyKey, currency?: string): Promise<string | undefined>
  /** `lookup` of many parties in few calls (a G2P disbursement resolves thousands): for each, in order, the
   *  DFSP, undefined (nobody holds it) or the FspiopError that refused it (e.g. no oracle for its type). */
  lookupAll(keys: readonly PartyKey[], currency?: string): Promise<(string | undefined | FspiopError)[]>
  /** Registers the party to the DFSP; refuses (false) if another DFSP already holds it. */
  register(key: PartyKey, fspId: string, currency?: string): Promise<boolean>
  /** Registers each party to the DFSP, as `register` does one: for each, in order, true, false (another DFSP
   *  holds it) or the FspiopError that refused it (e.g. no oracle for its type). */
  registerAll(keys: readonly PartyKey[], fspId: string, currency?: string): Promise<(boolean | FspiopError)[]>
  /** Removes the party if the DFSP holds it; false if it does not. */
  remove(key: PartyKey, fspId: string): Promise<boolean>
}

export const ORACLE_CACHE_ENTRIES_MAX = 100_000
/** Parties per multi-row statement of a batch registration (a 10,000-party batch is 10 statements, one transaction). */
export const REGISTRATION_ROWS_PER_STATEMENT_MAX = 1_000
/** Other replicas see a change within this time (this one at once). */
export const ORACLE_CACHE_TTL_MS = 30_000

export function createMysqlOracle(db: Db): Oracle {
  const cache = new Map<string, { at: number; fsp: string | null }>()
  const cacheKey = (k: PartyKey) => `${k.type}|${k.id}|${k.subId ?? ''}`
  const where = (k: PartyKey) => ({ party_id_type: k.type, party_id: k.id, party_sub_id: k.subId ?? '' })
  return {
    async lookup(key) {
      const ck = cacheKey(key)
      const hit = cache.get(ck)
      if (hit && Date.now() - hit.at < ORACLE_CACHE_TTL_MS) return hit.fsp ?? undefined
      const row = await db('oracle_party').where(where(key)).first()
      if (cache.size >= ORACLE_CACHE_ENTRIES_MAX) cache.clear()
      cache.set(ck, { at: Date.now(), fsp: row?.fsp_id ?? null })
      return row?.fsp_id
    },
    async lookupAll(keys) {
      const found = new Map<string, string>()
      for (let at = 0; at < keys.length; at += REGISTRATION_ROWS_PER_STATEMENT_MAX) {
        const slice = keys.slice(at, at + REGISTRATION_ROWS_PER_STATEMENT_MAX)
        const rows = (await db('oracle_party').select('party_id_type', 'party_id', 'party_sub_id', 'fsp_id')
          .whereIn(['party_id_type', 'party_id', 'party_sub_id'], slice.map((k) => [k.type, k.id, k.subId ?? '']))) as Record<string, string>[]
        for (const r of rows) found.set(`${r.party_id_type}|${r.party_id}|${r.party_sub_id}`, r.fsp_id!)
      }
      return keys.map((k) => found.get(cacheKey(k)))
    },
    async register(key, fspId, currency) {
      cache.delete(cacheKey(key))
      // Insert first: a locking read of a missing row takes gap locks that deadlock concurrent registrations.
      try {
        await db('oracle_party').insert({ ...where(key), fsp_id: fspId, currency: currency ?? null })
        return true
      } catch (error) {
        if ((error as { code?: string }).code !== 'ER_DUP_ENTRY') throw error
      }
      const updated = await db('oracle_party').where({ ...where(key), fsp_id: fspId }).update({ changed_at: db.fn.now(3), ...(currency ? { currency } : {}) })
      return updated > 0
    },
    async registerAll(keys, fspId, currency) {
      for (const key of keys) cache.delete(cacheKey(key))
      const holders = new Map<string, string>()
      // Rows in key order, so two batches that share parties lock them in the same order.
      const rows = [...new Map(keys.map((k) => [cacheKey(k), { ...where(k), fsp_id: fspId, currency: currency ?? null }])).entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row)
      await db.transaction(async (trx) => {
        for (let at = 0; at < rows.length; at += REGISTRATION_ROWS_PER_STATEMENT_MAX) {
          const chunk = rows.slice(at, at + REGISTRATION_ROWS_PER_STATEMENT_MAX)
          // A party the DFSP already holds is touched (and takes the currency, if given), as `register` does;
          // one another DFSP holds is left as it is.
          await trx('oracle_party').insert(chunk).onConflict(['party_id_type', 'party_id', 'party_sub_id']).merge({
            currency: trx.raw('IF(fsp_id = VALUES(fsp_id) AND VALUES(currency) IS NOT NULL, VALUES(currency), currency)'),
            changed_at: trx.raw('IF(fsp_id = VALUES(fsp_id), NOW(3), changed_at)'),
          })
          const held = await trx('oracle_party').select('party_id_type', 'party_id', 'party_sub_id', 'fsp_id')
            .whereIn(['party_id_type', 'party_id', 'party_sub_id'], chunk.map((r) => [r.party_id_type, r.party_id, r.party_sub_id]))
          for (const r of held) holders.set(`${r.party_id_type}|${r.party_id}|${r.party_sub_id}`, r.fsp_id)
        }
      })
      return keys.map((k) => holders.get(cacheKey(k)) === fspId)
    },
    async remove(key, fspId) {
      cache.delete(cacheKey(key))
      const removed = await db('oracle_party').where({ ...where(key), fsp_id: fspId }).delete()
      return removed > 0
    },
  }
}

/** For an oracle that answers one lookup at a time (an external oracle over HTTP). */
export async function lookupEach(oracle: Pick<Oracle, 'lookup'>, keys: readonly PartyKey[], currency?: string): Promise<(string | undefined | FspiopError)[]> {
  const results: (string | undefined | FspiopError)[] = []
  for (const key of keys) {
    try {
      results.push(await oracle.lookup(key, currency))
    } catch (error) {
      if (!(error instanceof FspiopError)) throw error
      results.push(error)
    }
  }
  return results
}

/** For an oracle that takes one registration at a time (an external oracle over HTTP). */
export async function registerEach(oracle: Pick<Oracle, 'register'>, keys: readonly PartyKey[], fspId: string, currency?: string): Promise<(boolean | FspiopError)[]> {
  const results: (boolean | FspiopError)[] = []
  for (const key of keys) {
    try {
      results.push(await oracle.register(key, fspId, currency))
    } catch (error) {
      if (!(error instanceof FspiopError)) throw error
      results.push(error)
    }
  }
  return results
}
