// Lookups by id that share one query: ids asked for while a query is in flight wait for the next one, so
// under load a burst of requests costs one indexed query per burst, not one each.

/** Ids asked for in one query at most. */
export const LOOKUP_IDS_MAX = 500

interface Waiting<V> {
  resolve: (value: V | undefined) => void
  reject: (error: Error) => void
}

/** `query` answers the ids it finds; an id it leaves out resolves to undefined. */
export function batchedLookup<V>(query: (ids: string[]) => Promise<Map<string, V>>): (id: string) => Promise<V | undefined> {
  const queued = new Map<string, Waiting<V>[]>()
  let querying = false

  async function run(): Promise<void> {
    querying = true
    while (queued.size > 0) {
      const batch = [...queued].slice(0, LOOKUP_IDS_MAX)
      for (const [id] of batch) queued.delete(id)
      try {
        const found = await query(batch.map(([id]) => id))
        for (const [id, waiters] of batch) for (const w of waiters) w.resolve(found.get(id))
      } catch (error) {
        for (const [, waiters] of batch) for (const w of waiters) w.reject(error as Error)
      }
    }
    querying = false
  }

  return (id) => new Promise((resolve, reject) => {
    const waiters = queued.get(id)
    if (waiters) waiters.push({ resolve, reject })
    else queued.set(id, [{ resolve, reject }])
    if (!querying) void run()
  })
}
