// The simulation's message log: topics of partitions (messages keyed to a partition, in order), each
// group's committed offsets (durable: they survive a crash), and consumers whose positions and resolved
// offsets are process state (lost in a crash). The caller drives it: which partitions a fetch holds and
// how much of each, when resolved offsets are committed. A stand-in with the shape of the message-bus
// port's in-memory bus (switch/bus/memory-bus.ts), which can replace it; the pipeline code sees only its producer.
import type { BusProducer } from '../bus/message-bus.ts'
import type { Prng } from './prng.ts'
import type { SimClock } from './sim-clock.ts'

export const PARTITIONS_PER_TOPIC = 3
/** Messages one partition's batch of a fetch holds at most. */
export const FETCH_BATCH_MAX = 8

export interface LoggedMessage {
  offset: bigint
  key: string
  value: string
  appendedAt: number
}

export interface FetchedBatch {
  topic: string
  partition: number
  last: bigint
  messages: LoggedMessage[]
}

export const offsetKey = (group: string, topic: string, partition: number): string => JSON.stringify([group, topic, partition])

/** Partition of a key: FNV-1a, so a key's messages always go to one partition. */
export function partitionOf(key: string, partitions: number = PARTITIONS_PER_TOPIC): number {
  let h = 0x811c9dc5
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193) >>> 0
  return h % partitions
}

export class SimLog {
  private readonly topics = new Map<string, LoggedMessage[][]>()
  /** Durable: the group's committed next offsets. */
  readonly committed = new Map<string, bigint>()
  appended = 0

  constructor(private readonly clock: SimClock) {}

  partitions(topic: string): LoggedMessage[][] {
    let found = this.topics.get(topic)
    if (!found) this.topics.set(topic, (found = Array.from({ length: PARTITIONS_PER_TOPIC }, () => [])))
    return found
  }

  append(messages: readonly { topic: string; key: string; value: string }[]): void {
    for (const m of messages) {
      const partition = this.partitions(m.topic)[partitionOf(m.key)]!
      partition.push({ offset: BigInt(partition.length), key: m.key, value: m.value, appendedAt: this.clock.now_ms() })
      this.appended++
    }
  }

  /** A producer that has the messages once send resolves (no queue of its own). */
  producer(): BusProducer {
    return {
      send: async (messages) => this.append(messages),
      status: () => ({ connected: true, queued: 0, inFlight: 0, inFlightSince: undefined }),
      connected: Promise.resolve(),
      close: async () => {},
    }
  }
}

export interface SimConsumerOptions {
  /** Mutant: commits a fetch's offsets as it is handed out, before its effects (I7). */
  commitOnFetch?: boolean
}

/** One consumer of a group: its positions and resolved offsets live in its process. */
export class SimConsumer {
  private readonly positions = new Map<string, bigint>()
  private readonly resolved = new Map<string, bigint>()

  constructor(private readonly log: SimLog, readonly group: string, readonly topics: readonly string[], private readonly opts: SimConsumerOptions = {}) {}

  private position(topic: string, partition: number): bigint {
    const key = offsetKey(this.group, topic, partition)
    return this.positions.get(key) ?? this.log.committed.get(key) ?? 0n
  }

  pending(): number {
    let n = 0
    for (const topic of this.topics) this.log.partitions(topic).forEach((messages, p) => { n += messages.length - Number(this.position(topic, p)) })
    return n
  }

  /** A fetch: some of the partitions that have messages, each with a run of them from its position. */
  fetch(prng: Prng, all = false): FetchedBatch[] {
    const batches: FetchedBatch[] = []
    for (const topic of this.topics) {
      this.log.partitions(topic).forEach((messages, partition) => {
        const from = Number(this.position(topic, partition))
        if (from >= messages.length || (!all && !prng.chance(0.6))) return
        const count = all ? messages.length - from : Math.min(messages.length - from, prng.between(1, FETCH_BATCH_MAX))
        const taken = messages.slice(from, from + count)
        batches.push({ topic, partition, last: taken[taken.length - 1]!.offset, messages: taken })
        this.positions.set(offsetKey(this.group, topic, partition), taken[taken.length - 1]!.offset + 1n)
      })
    }
    if (this.opts.commitOnFetch) for (const b of batches) this.log.committed.set(offsetKey(this.group, b.topic, b.partition), b.last + 1n)
    return batches
  }

  /** The fetch was handled: its offsets may be committed. */
  resolve(batches: readonly FetchedBatch[]): void {
    for (const b of batches) this.resolved.set(offsetKey(this.group, b.topic, b.partition), b.last + 1n)
  }

  /** The fetch failed: delivered again from the resolved (or committed) offsets. */
  rewind(batches: readonly FetchedBatch[]): void {
    for (const b of batches) {
      const key = offsetKey(this.group, b.topic, b.partition)
      const back = this.resolved.get(key) ?? this.log.committed.get(key)
      if (back === undefined) this.positions.delete(key)
      else this.positions.set(key, back)
    }
  }

  /** What autoCommit does every OFFSET_COMMIT_INTERVAL_MS. */
  commit(): void {
    for (const [key, offset] of this.resolved) this.log.committed.set(key, offset)
    this.resolved.clear()
  }
}
