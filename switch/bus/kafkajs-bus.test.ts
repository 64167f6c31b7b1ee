// The Kafka bus (kafkajs, on the real broker) keeps the bus contract.
import { messageBusContract } from './message-bus.contract.ts'
import { openKafkajsBus } from './kafkajs-bus.ts'
import { testKafkaConfig } from '../../test/support/kafka.ts'

/** How long one advance waits for Kafka (the contract bounds the advances, not the time). */
const KAFKA_ADVANCE_MS = 25

messageBusContract('kafkajs bus', async () => ({
  bus: openKafkajsBus(testKafkaConfig('bus-contract', 3)),
  advance: () => new Promise((resolve) => setTimeout(resolve, KAFKA_ADVANCE_MS)),
  close: async () => {},
}))
