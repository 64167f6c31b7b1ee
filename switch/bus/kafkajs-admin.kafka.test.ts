// Topic admin on the real broker: the switch's topics stamp LogAppendTime and carry min.insync.replicas,
// topics made before get those settings with their own kept.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import kafkajs from 'kafkajs'
import { openTestBus } from '../../test/support/kafka.ts'
import { APPEND_TIME_CONFIG } from './message-bus.ts'
import { MESSAGE_BYTES_MAX, topicSpecs } from './topic-specs.ts'

test('the switch\'s topics stamp messages with the broker\'s append time, older topics too (their own settings kept)', async () => {
  const bus = openTestBus('stamp', 1)
  const admin = new kafkajs.Kafka({ brokers: [...bus.config.brokers], clientId: 'agora-stamp-test', logLevel: kafkajs.logLevel.NOTHING }).admin()
  const { ConfigResourceTypes } = kafkajs
  try {
    await admin.connect()
    await admin.createTopics({ topics: [{ topic: bus.topic('old'), numPartitions: 1, replicationFactor: 1, configEntries: [{ name: 'retention.ms', value: '3600000' }] }] })
    await bus.admin.createTopics(topicSpecs(bus, bus.config, ['old', 'new']))
    const { resources } = await admin.describeConfigs({ includeSynonyms: false, resources: ['old', 'new'].map((t) => ({ type: ConfigResourceTypes.TOPIC, name: bus.topic(t) })) })
    const config = (topic: string, name: string) => resources.find((r) => r.resourceName === bus.topic(topic))!.configEntries.find((e) => e.configName === name)!.configValue
    assert.equal(config('new', APPEND_TIME_CONFIG.name), 'LogAppendTime')
    assert.equal(config('new', 'min.insync.replicas'), String(bus.config.minInsyncReplicas))
    assert.equal(config('old', 'max.message.bytes'), String(MESSAGE_BYTES_MAX))
    assert.equal(config('old', APPEND_TIME_CONFIG.name), 'LogAppendTime')
    assert.equal(config('old', 'retention.ms'), '3600000')
    assert.deepEqual(await bus.admin.missingTopics([bus.topic('old'), bus.topic('new'), bus.topic('absent')]), [bus.topic('absent')])
  } finally {
    await admin.deleteTopics({ topics: [bus.topic('old'), bus.topic('new')] }).catch(() => {})
    await admin.disconnect()
    await bus.close()
  }
})

test('a full bulk (one 1.5 MB message) is accepted by a topic the switch made; a topic at Kafka\'s 1 MB default refuses it', async () => {
  const bus = openTestBus('bigmsg', 1)
  const admin = new kafkajs.Kafka({ brokers: [...bus.config.brokers], clientId: 'agora-bigmsg-test', logLevel: kafkajs.logLevel.NOTHING }).admin()
  const producer = bus.producer()
  const bulk = 'x'.repeat(1_500_000)
  try {
    await admin.connect()
    await admin.createTopics({ topics: [{ topic: bus.topic('plain'), numPartitions: 1, replicationFactor: 1 }] })
    await bus.admin.createTopics(topicSpecs(bus, bus.config, ['bulk']))
    // A loaded broker may answer for a new topic a moment after creating it: wait until it has a leader.
    for (let i = 0; i < 100; i++) {
      const leaders = await admin.fetchTopicMetadata({ topics: [bus.topic('bulk'), bus.topic('plain')] }).then((m) => m.topics.every((t) => t.partitions.every((p) => p.leader >= 0)), () => false)
      if (leaders) break
      await new Promise((r) => setTimeout(r, 100))
    }
    await producer.connected
    await producer.send([{ topic: bus.topic('bulk'), key: 'payer', value: bulk }])
    await assert.rejects(producer.send([{ topic: bus.topic('plain'), key: 'payer', value: bulk }]))
  } finally {
    await producer.close().catch(() => {})
    await admin.deleteTopics({ topics: [bus.topic('plain'), bus.topic('bulk')] }).catch(() => {})
    await admin.disconnect()
    await bus.close()
  }
})
