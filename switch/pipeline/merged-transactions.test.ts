// Merged transactions on the real MariaDB: the partition batches of one fetch are applied in
// one transaction, each in its order, each partition's next offset stored with the effects; a batch
// delivered again is skipped; a failed transaction fails every batch in it and stores nothing.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { createTestDb, type TestDb } from '../../test/support/db.ts'
import { silentLogger } from '../observability/logger.ts'
import type { BusProducer } from '../bus/message-bus.ts'
import { createMergedTransactions, type Decoded, type PartitionBatch } from './merged-transactions.ts'
import { createPublishedMarks } from './published-marks.ts'
import { createMySqlPipelineStore } from '../store/mysql-pipeline-store.ts'

let testDb: TestDb
const GROUP = 'merge-test'
/** The handler publishes nothing in these tests, so nothing may reach the producer. */
const noProducer: BusProducer = {
  send: async () => { throw new Error('nothing should be published') },
  status: () => ({ connected: true, queued: 0, inFlight: 0, inFlightSince: undefined }),
  connected: Promise.resolve(),
  close: async () => {},
}

before(async () => { testDb = await createTestDb('merged_trx') })
after(async () => testDb.drop())

function batch(partition: number, offsets: number[]): PartitionBatch<string> {
  const messages: Decoded<string>[] = offsets.map((o) => ({ offset: BigInt(o), key: `p${partition}`, value: `p${partition}@${o}` }))
  return { topic: 'prepare', partition, last: BigInt(offsets.at(-1)!), messages }
}

function recorder(fail = false) {
  const calls: { messages: string[] }[] = []
  const store = createMySqlPipelineStore(testDb.db)
  const merged = createMergedTransactions<string>({
    store, log: silentLogger(), producer: noProducer, published: createPublishedMarks(store, silentLogger()), groupId: GROUP,
    handler: {
      async apply(_uow, messages) {
        calls.push({ messages: messages.map((m) => m.value) })
        if (fail) throw new Error('the handler failed')
        return []
      },
    },
  })
  return { calls, merged }
}

const stored = async () => Object.fromEntries((await testDb.db('consumed_offset').where({ consumer_group: GROUP }).orderBy('partition')).map((r: any) => [r.partition, String(r.next_offset)]))

test('the batches of one fetch are applied in one transaction, each in its order, with every next offset', async () => {
  const { calls, merged } = recorder()
  await merged.apply([batch(2, [0, 1]), batch(0, [0, 1, 2]), batch(1, [0])])
  assert.equal(calls.length, 1, 'one transaction for the three partitions')
  assert.deepEqual(calls[0]!.messages, ['p0@0', 'p0@1', 'p0@2', 'p1@0', 'p2@0', 'p2@1'])
  assert.deepEqual(await stored(), { 0: '3', 1: '1', 2: '2' })
})

test('a batch delivered again is skipped up to the stored offset', async () => {
  const { calls, merged } = recorder()
  await merged.apply([batch(0, [1, 2, 3, 4])])
  assert.deepEqual(calls[0]!.messages, ['p0@3', 'p0@4'], 'offsets 1 and 2 took effect before')
  assert.deepEqual(await stored(), { 0: '5', 1: '1', 2: '2' })
})

test('a failed transaction fails the whole fetch and stores nothing', async () => {
  const { merged } = recorder(true)
  await assert.rejects(merged.apply([batch(1, [1, 2]), batch(2, [2])]), /the handler failed/)
  assert.deepEqual(await stored(), { 0: '5', 1: '1', 2: '2' }, 'no offset moved')
})
