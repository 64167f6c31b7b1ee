// The in-memory bus keeps the bus contract, driven step by step; and its chooser decides the fetches.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { messageBusContract } from './message-bus.contract.ts'
import { createMemoryBus, seededChooser, type FetchChooser } from './memory-bus.ts'

messageBusContract('memory bus', async () => {
  const bus = createMemoryBus({ topicPrefix: 'contract.' })
  return { bus, advance: async () => { await bus.step() }, close: async () => {} }
})

async function fetchesWith(chooser: FetchChooser): Promise<string[]> {
  const bus = createMemoryBus({ chooser })
  const topic = bus.topic('t')
  await bus.admin.createTopics([{ name: topic, partitions: 4, replicationFactor: 1, configs: {} }])
  const producer = bus.producer()
  await producer.send(Array.from({ length: 40 }, (_, i) => ({ topic, key: `k${i % 9}`, value: String(i) })))
  const fetches: string[] = []
  bus.consumer({ groupId: 'g', topics: [topic], handle: async (fetch) => { fetches.push(fetch.map((b) => `${b.partition}:${b.messages.map((m) => m.value).join(',')}`).join(' ')) } })
  await bus.drain()
  return fetches
}

test('memory bus: the same seed makes the same fetches, and a seeded chooser splits them across partitions', async () => {
  const once = await fetchesWith(seededChooser(7))
  assert.deepEqual(await fetchesWith(seededChooser(7)), once)
  assert.ok(once.length > 1, `a seeded chooser fetches some partitions at a time (got ${once.length} fetch)`)
  assert.equal((await fetchesWith({ consumer: () => 0, partitions: (ready) => ready })).length, 1, 'all partitions in one fetch by default')
})

test('memory bus: nothing is delivered until the caller steps, and a step handles one fetch', async () => {
  const bus = createMemoryBus()
  const topic = bus.topic('t')
  await bus.admin.createTopics([{ name: topic, partitions: 2, replicationFactor: 1, configs: {} }])
  await bus.producer().send([{ topic, key: 'a', value: '1' }])
  let fetches = 0
  bus.consumer({ groupId: 'g', topics: [topic], handle: async () => { fetches++ } })
  await Promise.resolve()
  assert.equal(fetches, 0)
  assert.equal(await bus.step(), true)
  assert.equal(fetches, 1)
  assert.equal(await bus.step(), false, 'nothing left once committed')
})

test('memory bus: members of one group share the partitions; another group reads everything again', async () => {
  const bus = createMemoryBus()
  const topic = bus.topic('t')
  await bus.admin.createTopics([{ name: topic, partitions: 4, replicationFactor: 1, configs: {} }])
  await bus.producer().send(Array.from({ length: 20 }, (_, i) => ({ topic, key: `k${i}`, value: String(i) })))
  const byMember = [new Set<number>(), new Set<number>()]
  const other: string[] = []
  byMember.forEach((partitions) => bus.consumer({ groupId: 'g', topics: [topic], handle: async (fetch) => { for (const b of fetch) partitions.add(b.partition) } }))
  bus.consumer({ groupId: 'h', topics: [topic], handle: async (fetch) => { for (const b of fetch) other.push(...b.messages.map((m) => m.value)) } })
  await bus.drain()
  assert.equal([...byMember[0]!].filter((p) => byMember[1]!.has(p)).length, 0, 'no partition owned by both')
  assert.equal(byMember[0]!.size + byMember[1]!.size, 4)
  assert.equal(other.length, 20)
})

test('memory bus: a producer whose beforeConnect refuses connects on a later step once it agrees', async () => {
  const bus = createMemoryBus()
  let allowed = false
  const producer = bus.producer({ beforeConnect: async () => { if (!allowed) throw new Error('topics missing') } })
  await bus.step()
  assert.equal(producer.status().connected, false)
  allowed = true
  await bus.step()
  assert.equal(producer.status().connected, true)
  await producer.connected
})
