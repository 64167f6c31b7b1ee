// The real Kafka broker for one test file, with a topic prefix of its own so files do not share topics.
import { randomBytes } from 'node:crypto'
import { loadConfig, type Config } from '../../switch/config/config.ts'
import { openBroker, type Broker } from '../../switch/kafka/broker.ts'

export function testKafkaConfig(label = 'test', partitions = 2): Config['kafka'] {
  const base = loadConfig().kafka
  return { ...base, clientId: `agora-${label}`, topicPrefix: `t${randomBytes(4).toString('hex')}.${label}.`, partitions }
}

export function openTestBroker(label = 'test', partitions = 2): Broker {
  return openBroker(testKafkaConfig(label, partitions))
}
