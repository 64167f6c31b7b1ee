// The switch's topic specs come from config, and a role told of missing topics hears which and how to create them.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { loadConfig } from '../config/config.ts'
import { createMemoryBus } from './memory-bus.ts'
import { CREATE_TOPICS_COMMAND, MissingTopics, requireTopics, topicSpecs } from './topic-specs.ts'

const config = loadConfig({ AGORA_KAFKA_PARTITIONS: '6', AGORA_KAFKA_REPLICATION_FACTOR: '3', AGORA_KAFKA_MIN_INSYNC_REPLICAS: '2' }).kafka

test('topic specs take partitions, replication factor and min.insync.replicas from config, stamp LogAppendTime and allow messages of 8 MiB (a full bulk)', () => {
  const bus = createMemoryBus({ topicPrefix: 'p.' })
  assert.deepEqual(topicSpecs(bus, config, ['quote']), [{
    name: 'p.quote', partitions: 6, replicationFactor: 3, configs: { 'message.timestamp.type': 'LogAppendTime', 'min.insync.replicas': '2', 'max.message.bytes': String(8 * 1024 * 1024) },
  }])
})

test('a role whose topics are missing is refused with their names and the command that creates them, and accepted once they exist', async () => {
  const bus = createMemoryBus({ topicPrefix: 'p.' })
  await bus.admin.createTopics(topicSpecs(bus, config, ['quote']))
  await assert.rejects(requireTopics(bus, ['quote', 'notification']), (error: unknown) => {
    assert.ok(error instanceof MissingTopics)
    assert.deepEqual(error.topics, ['p.notification'])
    assert.ok(error.message.includes(CREATE_TOPICS_COMMAND), error.message)
    return true
  })
  await bus.admin.createTopics(topicSpecs(bus, config, ['notification']))
  await requireTopics(bus, ['quote', 'notification'])
})
