// Smoke test on the real broker: create a topic, produce a batch, consume it back in order per key.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import kafkajs from 'kafkajs'
import { openTestBroker } from '../../test/support/kafka.ts'
import { APPEND_TIME_CONFIG } from './broker.ts'

test('a batch produced to a new topic is consumed whole, in order per key', async () => {
  const broker = openTestBroker('smoke', 3)
  await broker.ensureTopics(['smoke'])
  await broker.ensureTopics(['smoke']) // idempotent
  const topic = broker.topic('smoke')
  const producer = broker.kafka.producer({ allowAutoTopicCreation: false })
  const consumer = broker.kafka.consumer({ groupId: `${topic}.group`, maxWaitTimeInMs: 50 })
  try {
    await producer.connect()
    const messages = Array.from({ length: 300 }, (_, i) => ({ key: `account-${i % 7}`, value: String(i) }))
    await producer.sendBatch({ acks: -1, topicMessages: [{ topic, messages }] })

    await consumer.connect()
    await consumer.subscribe({ topic, fromBeginning: true })
    const seen: { key: string; value: number }[] = []
    const done = new Promise<void>((resolve) => {
      void consumer.run({
        eachBatch: async ({ batch }) => {
          for (const m of batch.messages) seen.push({ key: m.key!.toString(), value: Number(m.value!.toString()) })
          if (seen.length >= messages.length) resolve()
        },
      })
    })
    await done
    assert.equal(seen.length, 300)
    for (let k = 0; k < 7; k++) {
      const values = seen.filter((s) => s.key === `account-${k}`).map((s) => s.value)
      assert.deepEqual(values, [...values].sort((a, b) => a - b), `order kept for account-${k}`)
    }
    assert.equal(await broker.isHealthy(), true)
  } finally {
    await consumer.disconnect()
    await producer.disconnect()
    await broker.close()
  }
})

test('the switch\'s topics stamp messages with the broker\'s append time, older topics too (their own settings kept)', async () => {
  const broker = openTestBroker('stamp', 1)
  const admin = broker.kafka.admin()
  const { ConfigResourceTypes } = kafkajs
  try {
    await admin.connect()
    await admin.createTopics({ topics: [{ topic: broker.topic('old'), numPartitions: 1, replicationFactor: 1, configEntries: [{ name: 'retention.ms', value: '3600000' }] }] })
    await broker.ensureTopics(['old', 'new'])
    const { resources } = await admin.describeConfigs({ includeSynonyms: false, resources: ['old', 'new'].map((t) => ({ type: ConfigResourceTypes.TOPIC, name: broker.topic(t) })) })
    const config = (topic: string, name: string) => resources.find((r) => r.resourceName === broker.topic(topic))!.configEntries.find((e) => e.configName === name)!.configValue
    assert.equal(config('new', APPEND_TIME_CONFIG.name), 'LogAppendTime')
    assert.equal(config('old', APPEND_TIME_CONFIG.name), 'LogAppendTime')
    assert.equal(config('old', 'retention.ms'), '3600000')
  } finally {
    await admin.deleteTopics({ topics: [broker.topic('old'), broker.topic('new')] }).catch(() => {})
    await admin.disconnect()
    await broker.close()
  }
})
