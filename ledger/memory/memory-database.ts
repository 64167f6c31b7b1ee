// An in-memory database for the in-memory ledger and the switch's in-memory store: tables of Maps and
// append-only logs whose writes keep an undo log, and units of work run one at a time (a mutex). A unit
// of work that throws is undone whole, so it leaves no effect; one that returns is kept. Deterministic:
// no timers, no wall clock (time comes from the clock given).
//
// Rows go in and come out as copies (structuredClone keeps bigint, Date and Map), so a caller that
// mutates what it read changes nothing until it writes.

export type Clock = () => Date

export class MemoryDatabase {
  private undo: (() => void)[] | undefined
  private queue: Promise<unknown> = Promise.resolve()

  constructor(readonly clock: Clock) {}

  /** Runs `work` after every unit of work before it; all its writes or none. Not re-entrant. */
  transaction<R>(work: () => Promise<R>): Promise<R> {
    const run = async (): Promise<R> => {
      this.undo = []
      try {
        const result = await work()
        this.undo = undefined
        return result
      } catch (error) {
        const undo = this.undo ?? []
        this.undo = undefined
        for (let i = undo.length - 1; i >= 0; i--) undo[i]!()
        throw error
      }
    }
    const result = this.queue.then(run, run)
    this.queue = result.catch(() => undefined)
    return result
  }

  /** Synchronous writes outside any unit of work (set-up), all or none. */
  setup(work: () => void): void {
    if (this.undo) throw new Error('memory database: set-up while a unit of work runs')
    this.undo = []
    try {
      work()
    } catch (error) {
      for (let i = this.undo.length - 1; i >= 0; i--) this.undo[i]!()
      throw error
    } finally {
      this.undo = undefined
    }
  }

  get inTransaction(): boolean {
    return this.undo !== undefined
  }

  /** Records how to take back a write; a write outside a unit of work is a bug. */
  recordUndo(undo: () => void): void {
    if (!this.undo) throw new Error('memory database: a write outside a unit of work')
    this.undo.push(undo)
  }

  table<K, V>(): MemoryTable<K, V> {
    return new MemoryTable<K, V>(this)
  }

  log<V>(): MemoryLog<V> {
    return new MemoryLog<V>(this)
  }

  /** An auto-increment counter starting at 1 (undone with its unit of work, as nothing else is). */
  sequence(): MemorySequence {
    return new MemorySequence(this)
  }
}

export class MemoryTable<K, V> {
  private readonly rows = new Map<K, V>()

  constructor(private readonly db: MemoryDatabase) {}

  get(key: K): V | undefined {
    const row = this.rows.get(key)
    return row === undefined ? undefined : structuredClone(row)
  }

  has(key: K): boolean {
    return this.rows.has(key)
  }

  get size(): number {
    return this.rows.size
  }

  /** Copies of every row, in insertion order. */
  values(): V[] {
    return [...this.rows.values()].map((row) => structuredClone(row))
  }

  /** Copies of the rows that match, the predicate looking at the stored rows (it must not change them). */
  where(matches: (row: Readonly<V>) => boolean): V[] {
    const found: V[] = []
    for (const row of this.rows.values()) if (matches(row)) found.push(structuredClone(row))
    return found
  }

  /** A copy of the first row that matches. */
  first(matches: (row: Readonly<V>) => boolean): V | undefined {
    for (const row of this.rows.values()) if (matches(row)) return structuredClone(row)
    return undefined
  }

  /** Whether a row matches, copying nothing. */
  some(matches: (row: Readonly<V>) => boolean): boolean {
    for (const row of this.rows.values()) if (matches(row)) return true
    return false
  }

  /** The stored rows themselves, for checks that only read (invariants): never change what this returns. */
  peek(): readonly Readonly<V>[] {
    return [...this.rows.values()]
  }

  set(key: K, row: V): void {
    const had = this.rows.has(key)
    const old = this.rows.get(key)
    this.db.recordUndo(() => (had ? this.rows.set(key, old as V) : this.rows.delete(key)))
    this.rows.set(key, structuredClone(row))
  }

  delete(key: K): void {
    if (!this.rows.has(key)) return
    const old = this.rows.get(key) as V
    this.db.recordUndo(() => this.rows.set(key, old))
    this.rows.delete(key)
  }
}

export class MemoryLog<V> {
  private readonly rows: V[] = []

  constructor(private readonly db: MemoryDatabase) {}

  append(...rows: V[]): void {
    const length = this.rows.length
    this.db.recordUndo(() => { this.rows.length = length })
    this.rows.push(...rows.map((row) => structuredClone(row)))
  }

  values(): V[] {
    return this.rows.map((row) => structuredClone(row))
  }

  /** The stored rows themselves, for checks that only read (invariants): never change what this returns. */
  peek(): readonly Readonly<V>[] {
    return this.rows
  }
}

export class MemorySequence {
  private last = 0n

  constructor(private readonly db: MemoryDatabase) {}

  next(): bigint {
    const previous = this.last
    this.db.recordUndo(() => { this.last = previous })
    return ++this.last
  }
}
