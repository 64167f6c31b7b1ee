// Which DFSP holds a party. An Oracle is an interface, so a scheme can plug in an external one; the
// built-in one keeps the mapping in MySQL with an in-memory cache in front (entries dropped on write).
import type { Db } from '../../ledger/store/db.ts'

export interface PartyKey {
  type: string
  id: string
  subId?: string
}

export interface Oracle {
  /** The DFSP that holds the party; a currency (GET /participants/{Type}/{ID}?currency=) also picks the oracle. */
  lookup(key: PartyKey, currency?: string): Promise<string | undefined>
  /** Registers the party to the DFSP; refuses (false) if another DFSP already holds it. */
  register(key: PartyKey, fspId: string, currency?: string): Promise<boolean>
  /** Removes the party if the DFSP holds it; false if it does not. */
  remove(key: PartyKey, fspId: string): Promise<boolean>
}

export const ORACLE_CACHE_ENTRIES_MAX = 100_000
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
    async remove(key, fspId) {
      cache.delete(cacheKey(key))
      const removed = await db('oracle_party').where({ ...where(key), fsp_id: fspId }).delete()
      return removed > 0
    },
  }
}
