// The message bus in memory, driven by its caller: nothing happens until `step()` (one fetch for one
// consumer) or `poll()` (steps until no consumer has anything to fetch), and no timer is needed to make
// progress. Which consumer fetches next and which of its partitions a fetch holds are the chooser's
// (`seededChooser` for a reproducible simulation; all partitions of the first waiting consumer by default).
// Kafka's semantics where the switch relies on them: keys partition as Kafka's default partitioner does
// (key-partition.ts), offsets per partition, consumer groups whose members share the partitions as the
// switch's assigner splits them (partition p of every topic to one member, co-partitioned-assignment.ts), a
// committed offset per group and partition that moves when a fetch is handled, and a rejected fetch or a
// restarted consumer reading again from the committed offset.
import { context } from '@opentelemetry/api'
import type {
  BusConsumer, BusProducer, CommittedOffset, ConsumerSpec, MessageBus, OutMessage, PartitionBatch, ProducerOptions, ReceivedMessage, TopicSpec,
} from './message-bus.ts'
import { PublishRefused } from './publish-queue.ts'
import { partitionOfKey } from './key-partition.ts'
import { coPartitionedAssignment } from './co-partitioned-assignment.ts'
import { traceFromHeaders, withTraceHeaders } from './trace-context.ts'

/** Messages of one partition in one fetch, unless the options say otherwise. */
export const MEMORY_FETCH_MESSAGES_MAX = 500

export interface PartitionRef {
  topic: string
  partition: number
}

export interface FetchChooser {
  /** Index of the consumer that fetches next, among `waiting` consumers with messages to fetch. */
  consumer(waiting: number): number
  /** Which of the partitions with messages to fetch go into this fetch (at least one is taken). */
  partitions(ready: readonly PartitionRef[]): readonly PartitionRef[]
}

export const fetchEverything: FetchChooser = { consumer: () => 0, partitions: (ready) => ready }

/** A reproducible chooser: the same seed makes the same sequence of fetches (mulberry32 PRNG). */
export function seededChooser(seed: number): FetchChooser {
  let state = seed >>> 0
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
  return {
    consumer: (waiting) => Math.floor(next() * waiting),
    partitions: (ready) => ready.filter(() => next() < 0.5),
  }
}

export interface MemoryBusOptions {
  topicPrefix?: string
  chooser?: FetchChooser
  fetchMessagesMax?: number
  /** The clock that stamps appendedAt (epoch ms); Date.now by default. */
  now?: () => number
}

export interface MemoryBus extends MessageBus {
  /** One fetch for one consumer, handled to the end; false when no consumer had anything to fetch. */
  step(): Promise<boolean>
  /** Steps until no consumer has anything to fetch, at most `steps_max` times; how many it took. */
  poll(steps_max?: number): Promise<number>
}

export const POLL_STEPS_MAX = 100_000

interface Member {
  spec: ConsumerSpec
  handling: boolean
  lastProgressAt: number
}

export function createMemoryBus(opts: MemoryBusOptions = {}): MemoryBus {
  const prefix = opts.topicPrefix ?? 'agora.'
  const chooser = opts.chooser ?? fetchEverything
  const fetchMax = opts.fetchMessagesMax ?? MEMORY_FETCH_MESSAGES_MAX
  const now = opts.now ?? Date.now
  const topics = new Map<string, ReceivedMessage[][]>()
  /** group → "topic|partition" → next offset. */
  const committed = new Map<string, Map<string, bigint>>()
  const members: Member[] = []
  const connecting = new Set<() => Promise<void>>()

  const slot = (topic: string, partition: number) => `${topic}|${partition}`
  const groupOffsets = (groupId: string) => {
    let offsets = committed.get(groupId)
    if (!offsets) committed.set(groupId, (offsets = new Map()))
    return offsets
  }

  function append(m: OutMessage): void {
    const partitions = topics.get(m.topic)
    if (!partitions) throw new Error(`the bus has no topic ${m.topic} (topics are created by \`agora topics create\`)`)
    const log = partitions[partitionOfKey(m.key, partitions.length)]!
    const headers = { ...m.headers }
    log.push({ offset: BigInt(log.length), key: m.key, value: m.value, headers, appendedAt: now(), trace: traceFromHeaders(headers) })
  }

  /** The partitions of the group's topics this member owns: the switch's co-partitioned assignment (partition p
   *  of every topic to one member), members in join order. */
  function assigned(member: Member): PartitionRef[] {
    const group = members.filter((m) => m.spec.groupId === member.spec.groupId)
    const ids = group.map((_, i) => String(i).padStart(6, '0'))
    const mine = coPartitionedAssignment(ids, member.spec.topics.map((topic) => ({ topic, partitions: (topics.get(topic) ?? []).map((_, p) => p) })))
    return Object.entries(mine.get(ids[group.indexOf(member)]!)!).flatMap(([topic, partitions]) => partitions.map((partition) => ({ topic, partition })))
  }

  function ready(member: Member): PartitionRef[] {
    const offsets = groupOffsets(member.spec.groupId)
    return assigned(member).filter((p) => {
      const log = topics.get(p.topic)?.[p.partition]
      return log !== undefined && BigInt(log.length) > (offsets.get(slot(p.topic, p.partition)) ?? 0n)
    })
  }

  async function retryConnections(): Promise<void> {
    for (const attempt of [...connecting]) await attempt()
  }

  async function step(): Promise<boolean> {
    await retryConnections()
    const waiting = members.filter((m) => !m.handling && ready(m).length > 0)
    if (waiting.length === 0) return false
    const member = waiting[chooser.consumer(waiting.length) % waiting.length]!
    const candidates = ready(member)
    const chosen = chooser.partitions(candidates)
    const fetchFrom = chosen.length > 0 ? chosen : candidates.slice(0, 1)
    const offsets = groupOffsets(member.spec.groupId)
    const fetch: PartitionBatch[] = fetchFrom.map(({ topic, partition }) => {
      const from = Number(offsets.get(slot(topic, partition)) ?? 0n)
      const messages = topics.get(topic)![partition]!.slice(from, from + fetchMax)
      return { topic, partition, messages, last: messages[messages.length - 1]!.offset }
    })
    member.handling = true
    member.lastProgressAt = now()
    try {
      await member.spec.handle(fetch)
      // A member stopped while handling commits nothing: its successor reads the fetch again.
      if (members.includes(member)) for (const b of fetch) offsets.set(slot(b.topic, b.partition), b.last + 1n)
    } catch {
      // Not committed: the same messages are fetched again.
    } finally {
      member.handling = false
      member.lastProgressAt = now()
    }
    return true
  }

  function producer(producerOpts: ProducerOptions = {}): BusProducer {
    let connected = false
    let markConnected: () => void
    const connectedPromise = new Promise<void>((resolve) => (markConnected = resolve))
    const attempt = async () => {
      try {
        await producerOpts.beforeConnect?.()
      } catch {
        return
      }
      connected = true
      connecting.delete(attempt)
      markConnected()
    }
    connecting.add(attempt)
    void attempt()
    return {
      async send(messages, sendOpts = {}) {
        if (!connected) {
          if (sendOpts.publishBy !== undefined) throw new PublishRefused('not-connected', 'the switch is not connected to the bus')
          await connectedPromise
        }
        const trace = sendOpts.trace ?? context.active()
        for (const m of messages) append({ topic: m.topic, key: m.key, value: m.value, headers: withTraceHeaders(m.headers, m.trace ?? trace) })
      },
      status: () => ({ connected, queued: 0, inFlight: 0, inFlightSince: undefined }),
      connected: connectedPromise,
      async close() {
        connecting.delete(attempt)
      },
    }
  }

  function consumer(spec: ConsumerSpec): BusConsumer {
    const member: Member = { spec, handling: false, lastProgressAt: now() }
    members.push(member)
    return {
      joined: Promise.resolve(),
      state: () => ({ joined: members.includes(member), handling: member.handling, lastProgressAt: member.lastProgressAt }),
      async stop() {
        const index = members.indexOf(member)
        if (index >= 0) members.splice(index, 1)
      },
    }
  }

  return {
    topicPrefix: prefix,
    topic: (name) => `${prefix}${name}`,
    producer,
    consumer,
    async committedOffsets(groupId, wanted): Promise<CommittedOffset[]> {
      const offsets = committed.get(groupId) ?? new Map<string, bigint>()
      return wanted.flatMap((topic) => (topics.get(topic) ?? []).flatMap((_, partition) => {
        const offset = offsets.get(slot(topic, partition))
        return offset === undefined ? [] : [{ topic, partition, offset }]
      }))
    },
    admin: {
      async createTopics(specs: readonly TopicSpec[]) {
        for (const s of specs) if (!topics.has(s.name)) topics.set(s.name, Array.from({ length: s.partitions }, () => []))
      },
      async missingTopics(names) {
        return names.filter((n) => !topics.has(n))
      },
      async endOffsets(names) {
        return names.flatMap((topic) => (topics.get(topic) ?? []).map((log, partition) => ({ topic, partition, offset: BigInt(log.length) })))
      },
    },
    isHealthy: async () => true,
    async close() {
      connecting.clear()
    },
    step,
    async poll(steps_max = POLL_STEPS_MAX) {
      let steps = 0
      while (steps < steps_max && (await step())) steps++
      return steps
    },
  }
}
