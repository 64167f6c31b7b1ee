// A Map that holds at most `entriesMax` entries: reading an entry makes it the most recently used, and
// adding one to a full map drops the least recently used (a Map keeps insertion order, so the first key
// is the oldest). For caches and per-key state whose keys come from outside (names, fingerprints).
export class LruMap<K, V> {
  readonly entriesMax: number
  readonly #entries = new Map<K, V>()

  constructor(entriesMax: number) {
    if (!Number.isInteger(entriesMax) || entriesMax < 1) throw new Error(`LruMap: entriesMax must be a whole number of at least 1, got ${entriesMax}`)
    this.entriesMax = entriesMax
  }

  get size(): number {
    return this.#entries.size
  }

  get(key: K): V | undefined {
    if (!this.#entries.has(key)) return undefined
    const value = this.#entries.get(key) as V
    this.#entries.delete(key)
    this.#entries.set(key, value)
    return value
  }

  set(key: K, value: V): void {
    this.#entries.delete(key)
    this.#entries.set(key, value)
    while (this.#entries.size > this.entriesMax) this.#entries.delete(this.#entries.keys().next().value as K)
  }

  delete(key: K): boolean {
    return this.#entries.delete(key)
  }

  clear(): void {
    this.#entries.clear()
  }
}
