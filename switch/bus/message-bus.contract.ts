// The contract every MessageBus keeps (message-bus.ts), run against each implementation by its own test
// file (memory-bus.test.ts, kafkajs-bus.test.ts). What the pipeline relies on: order per key, Kafka's
// partitioning of keys, headers and trace context carried, a fetch resolved is committed and readable, a
// fetch rejected is delivered again, a restarted consumer reads on from the committed offset, a group's
// members own partition p of all its topics together (one owner per key), and topics exist only once created.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api'
import { APPEND_TIME_CONFIG, type MessageBus, type PartitionBatch, type TopicSpec } from './message-bus.ts'
import { partitionOfKey } from './key-partition.ts'

export interface BusUnderTest {
  bus: MessageBus
  /** Lets the bus make progress: one step of the in-memory bus, a short wait on Kafka. */
  advance(): Promise<void>
  close(): Promise<void>
}

/** Advances before a condition the contract waits for counts as never met. */
export const ADVANCES_MAX = 2_400

const PARTITIONS = 3

export function messageBusContract(name: string, open: () => Promise<BusUnderTest>): void {
  let topicCount = 0
  async function withBus(work: (t: BusUnderTest, newTopic: () => Promise<string>) => Promise<void>): Promise<void> {
    const t = await open()
    const newTopic = async () => {
      const topic = t.bus.topic(`contract-${++topicCount}`)
      await t.bus.admin.createTopics([spec(topic)])
      return topic
    }
    try {
      await work(t, newTopic)
    } finally {
      await t.bus.close()
      await t.close()
    }
  }
  async function until(t: BusUnderTest, what: string, done: () => boolean | Promise<boolean>): Promise<void> {
    for (let i = 0; i < ADVANCES_MAX; i++) {
      if (await done()) return
      await t.advance()
    }
    assert.fail(`${name}: never ${what}`)
  }

  test(`${name}: messages of one key arrive in the order sent, on the partition Kafka's default partitioner gives the key`, () => withBus(async (t, newTopic) => {
    const topic = await newTopic()
    const producer = t.bus.producer()
    await producer.connected
    const keys = ['payer-1', 'payer-2', 'payee-ä', '42', 'a-much-longer-position-account-key']
    const sent = Array.from({ length: 60 }, (_, i) => ({ topic, key: keys[i % keys.length]!, value: String(i) }))
    await producer.send(sent.slice(0, 30))
    await producer.send(sent.slice(30))
    const seen: { key: string; value: number; partition: number }[] = []
    const consumer = t.bus.consumer({ groupId: `${topic}.order`, topics: [topic], handle: async (fetch) => {
      assert.equal(new Set(fetch.map((b) => `${b.topic}|${b.partition}`)).size, fetch.length, 'one batch per partition in a fetch')
      for (const b of fetch) for (const m of b.messages) seen.push({ key: m.key, value: Number(m.value), partition: b.partition })
    } })
    await until(t, 'received every message', () => seen.length >= sent.length)
    await consumer.stop()
    await producer.close()
    assert.equal(seen.length, sent.length)
    for (const key of keys) {
      const mine = seen.filter((s) => s.key === key)
      assert.deepEqual(mine.map((s) => s.value), sent.filter((s) => s.key === key).map((s) => Number(s.value)), `order of ${key}`)
      assert.deepEqual(new Set(mine.map((s) => s.partition)), new Set([partitionOfKey(key, PARTITIONS)]), `partition of ${key}`)
    }
  }))

  test(`${name}: headers and the W3C trace context travel with the message`, () => withBus(async (t, newTopic) => {
    const topic = await newTopic()
    const producer = t.bus.producer()
    await producer.connected
    const sender = { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED }
    await producer.send([{ topic, key: 'k', value: 'traced', headers: { 'x-agora-test': 'kept' } }], { trace: trace.setSpanContext(ROOT_CONTEXT, sender) })
    await producer.send([{ topic, key: 'k', value: 'untraced' }], { trace: ROOT_CONTEXT })
    const seen: PartitionBatch['messages'][number][] = []
    const consumer = t.bus.consumer({ groupId: `${topic}.trace`, topics: [topic], handle: async (fetch) => { for (const b of fetch) seen.push(...b.messages) } })
    await until(t, 'received both messages', () => seen.length >= 2)
    await consumer.stop()
    await producer.close()
    const [traced, untraced] = seen
    assert.equal(traced!.headers['x-agora-test'], 'kept')
    assert.equal(traced!.headers.traceparent, `00-${sender.traceId}-${sender.spanId}-01`)
    assert.deepEqual(trace.getSpanContext(traced!.trace), { ...sender, isRemote: true })
    assert.equal(untraced!.headers.traceparent, undefined)
    assert.equal(trace.getSpanContext(untraced!.trace), undefined)
  }))

  test(`${name}: each message of one send carries its own trace when it has one, the send's otherwise`, () => withBus(async (t, newTopic) => {
    const topic = await newTopic()
    const producer = t.bus.producer()
    await producer.connected
    const span = (n: number) => ({ traceId: `${n}`.repeat(32).slice(0, 32), spanId: `${n}`.repeat(16).slice(0, 16), traceFlags: TraceFlags.SAMPLED })
    const ctx = (n: number) => trace.setSpanContext(ROOT_CONTEXT, span(n))
    await producer.send([{ topic, key: 'k', value: 'a', trace: ctx(1) }, { topic, key: 'k', value: 'b', trace: ctx(2) }, { topic, key: 'k', value: 'c' }], { trace: ctx(3) })
    const seen: PartitionBatch['messages'][number][] = []
    const consumer = t.bus.consumer({ groupId: `${topic}.own-trace`, topics: [topic], handle: async (fetch) => { for (const b of fetch) seen.push(...b.messages) } })
    await until(t, 'received the three messages', () => seen.length >= 3)
    await consumer.stop()
    await producer.close()
    assert.deepEqual(seen.map((m) => trace.getSpanContext(m.trace)?.traceId), [span(1).traceId, span(2).traceId, span(3).traceId])
  }))

  test(`${name}: each partition's end offset is where its next message goes, and a group caught up has committed it`, () => withBus(async (t, newTopic) => {
    const topic = await newTopic()
    const groupId = `${topic}.ends`
    const producer = t.bus.producer()
    await producer.connected
    const ends = async () => (await t.bus.admin.endOffsets([topic])).sort((a, b) => a.partition - b.partition)
    const sent = Array.from({ length: 9 }, (_, i) => ({ topic, key: `k${i}`, value: String(i) }))
    await producer.send(sent)
    const perPartition = Array.from({ length: PARTITIONS }, (_, p) => BigInt(sent.filter((m) => partitionOfKey(m.key, PARTITIONS) === p).length))
    assert.deepEqual((await ends()).map((e) => e.offset), perPartition)
    let received = 0
    const consumer = t.bus.consumer({ groupId, topics: [topic], handle: async (fetch) => { for (const b of fetch) received += b.messages.length } })
    await until(t, 'received every message', () => received >= sent.length)
    await until(t, 'committed every partition it read', async () => (await committed(t.bus, groupId, topic)).length === perPartition.filter((n) => n > 0n).length)
    await consumer.stop()
    await producer.close()
    const done = new Map((await committed(t.bus, groupId, topic)).map((c) => [c.partition, c.offset]))
    for (const e of await ends()) assert.equal(e.offset - (done.get(e.partition) ?? 0n), 0n, `partition ${e.partition} has no lag`)
  }))

  test(`${name}: a handled fetch's offsets are committed and readable by group`, () => withBus(async (t, newTopic) => {
    const topic = await newTopic()
    const groupId = `${topic}.offsets`
    const producer = t.bus.producer()
    await producer.connected
    assert.deepEqual(await t.bus.committedOffsets(groupId, [topic]), [], 'nothing committed before the group consumed')
    const key = 'one-key'
    await producer.send(Array.from({ length: 5 }, (_, i) => ({ topic, key, value: String(i) })))
    let received = 0
    const consumer = t.bus.consumer({ groupId, topics: [topic], handle: async (fetch) => { for (const b of fetch) received += b.messages.length } })
    const expected = [{ topic, partition: partitionOfKey(key, PARTITIONS), offset: 5n }]
    await until(t, 'committed offset 5', async () => received >= 5 && (await committed(t.bus, groupId, topic))[0]?.offset === 5n)
    await consumer.stop()
    await producer.close()
    assert.deepEqual(await committed(t.bus, groupId, topic), expected)
  }))

  test(`${name}: a rejected fetch is delivered again, whole and in order, and only then committed`, () => withBus(async (t, newTopic) => {
    const topic = await newTopic()
    const groupId = `${topic}.reject`
    const producer = t.bus.producer()
    await producer.connected
    await producer.send(Array.from({ length: 4 }, (_, i) => ({ topic, key: 'k', value: String(i) })))
    const deliveries: string[][] = []
    const consumer = t.bus.consumer({ groupId, topics: [topic], handle: async (fetch) => {
      deliveries.push(fetch.flatMap((b) => b.messages.map((m) => m.value)))
      if (deliveries.length === 1) throw new Error('the handler failed (its transaction rolled back)')
    } })
    await until(t, 'delivered the messages again', () => deliveries.flat().length >= 8)
    await until(t, 'committed after the second delivery', async () => (await committed(t.bus, groupId, topic))[0]?.offset === 4n)
    await consumer.stop()
    await producer.close()
    assert.deepEqual(deliveries.flat(), ['0', '1', '2', '3', '0', '1', '2', '3'])
  }))

  test(`${name}: a consumer started again reads on from its group's committed offset`, () => withBus(async (t, newTopic) => {
    const topic = await newTopic()
    const groupId = `${topic}.restart`
    const producer = t.bus.producer()
    await producer.connected
    await producer.send(Array.from({ length: 3 }, (_, i) => ({ topic, key: 'k', value: String(i) })))
    const first: string[] = []
    const before = t.bus.consumer({ groupId, topics: [topic], handle: async (fetch) => { for (const b of fetch) first.push(...b.messages.map((m) => m.value)) } })
    await until(t, 'committed the first three', async () => first.length >= 3 && (await committed(t.bus, groupId, topic))[0]?.offset === 3n)
    await before.stop()
    await producer.send(['3', '4'].map((value) => ({ topic, key: 'k', value })))
    const second: { offset: bigint; value: string }[] = []
    const after = t.bus.consumer({ groupId, topics: [topic], handle: async (fetch) => { for (const b of fetch) second.push(...b.messages.map((m) => ({ offset: m.offset, value: m.value }))) } })
    await until(t, 'received the two new messages', () => second.length >= 2)
    await after.stop()
    await producer.close()
    assert.deepEqual(first, ['0', '1', '2'])
    assert.deepEqual(second, [{ offset: 3n, value: '3' }, { offset: 4n, value: '4' }])
  }))

  test(`${name}: members of one group own partition p of every topic together, so each key of both topics reaches one member`, () => withBus(async (t, newTopic) => {
    const topics = [await newTopic(), await newTopic()]
    const groupId = `${topics[0]}.copartitioned`
    const producer = t.bus.producer()
    await producer.connected
    const receivedBy = new Map<string, Set<number>>()
    let received = 0
    const member = (index: number) => t.bus.consumer({ groupId, topics, handle: async (fetch) => {
      for (const b of fetch) for (const m of b.messages) {
        receivedBy.set(m.key, (receivedBy.get(m.key) ?? new Set()).add(index))
        received++
      }
    } })
    // One member after the other, each joined (the second's join is the generation with both), before any message.
    const first = member(0)
    await first.joined
    const second = member(1)
    await second.joined
    const keys = Array.from({ length: 30 }, (_, i) => `account-${i}`)
    await producer.send(topics.flatMap((topic) => keys.map((key) => ({ topic, key, value: topic }))))
    await until(t, 'received every message', () => received >= keys.length * topics.length)
    await Promise.all([first.stop(), second.stop()])
    await producer.close()
    const shared = keys.filter((k) => receivedBy.get(k)!.size !== 1)
    assert.deepEqual(shared, [], 'keys whose messages reached both members')
    assert.deepEqual(new Set(keys.map((k) => [...receivedBy.get(k)!][0])), new Set([0, 1]), 'both members own some keys')
  }))

  test(`${name}: topics exist once created (creating again changes nothing), and missing ones are named`, () => withBus(async (t) => {
    const made = t.bus.topic(`contract-${++topicCount}-made`)
    const never = t.bus.topic(`contract-${++topicCount}-never`)
    assert.deepEqual(await t.bus.admin.missingTopics([made, never]), [made, never])
    await t.bus.admin.createTopics([spec(made)])
    await t.bus.admin.createTopics([spec(made)])
    assert.deepEqual(await t.bus.admin.missingTopics([made, never]), [never])
    const producer = t.bus.producer()
    await producer.connected
    await assert.rejects(producer.send([{ topic: never, key: 'k', value: 'v' }]), 'a topic is never created by sending to it')
    await producer.close()
    assert.deepEqual(await t.bus.admin.missingTopics([made, never]), [never])
  }))
}

function spec(name: string): TopicSpec {
  return { name, partitions: PARTITIONS, replicationFactor: 1, configs: { [APPEND_TIME_CONFIG.name]: APPEND_TIME_CONFIG.value } }
}

async function committed(bus: MessageBus, groupId: string, topic: string) {
  return (await bus.committedOffsets(groupId, [topic])).sort((a, b) => a.partition - b.partition)
}
