// The message bus on Kafka through kafkajs: the one place kafkajs is known (with kafkajs-producer.ts,
// kafkajs-consumer.ts and kafkajs-admin.ts beside it). Other modules receive a MessageBus, never read config.
import './quiet-timeout-warning.ts'
import { Kafka, logLevel, type Admin } from 'kafkajs'
import type { Config } from '../config.ts'
import type { Logger } from '../observability/logger.ts'
import type { MessageBus } from './message-bus.ts'
import { createKafkajsProducer } from './kafkajs-producer.ts'
import { startKafkajsConsumer } from './kafkajs-consumer.ts'
import { kafkajsCommittedOffsets, kafkajsTopicAdmin } from './kafkajs-admin.ts'

/** How long isHealthy waits for the cluster to describe itself. */
export const HEALTH_TIMEOUT_MS = 2_000

/** kafkajs logs go to the given logger (retried, transient errors included, at warn); none: silent. */
export function openKafkajsBus(config: Config['kafka'], log?: Logger): MessageBus {
  const kafka = new Kafka({
    clientId: config.clientId,
    brokers: [...config.brokers],
    logLevel: log ? logLevel.WARN : logLevel.NOTHING,
    logCreator: () => ({ namespace, log: entry }) => log?.warn({ kafka: namespace, ...entry }, entry.message),
    retry: { retries: 8, initialRetryTime: 100 },
  })
  let admin: Promise<Admin> | undefined
  const connectedAdmin = (): Promise<Admin> => {
    admin ??= (async () => {
      const created = kafka.admin()
      try {
        await created.connect()
        return created
      } catch (error) {
        admin = undefined // the next call tries again
        throw error
      }
    })()
    return admin
  }
  return {
    topicPrefix: config.topicPrefix,
    topic: (name) => `${config.topicPrefix}${name}`,
    producer: (opts = {}) => createKafkajsProducer(kafka, { ...opts, log }),
    consumer: (spec) => startKafkajsConsumer(kafka, config.consumerGroup, spec, log),
    committedOffsets: async (groupId, topics) => kafkajsCommittedOffsets(await connectedAdmin(), groupId, topics),
    admin: kafkajsTopicAdmin(connectedAdmin, log),
    async isHealthy(timeout_ms = HEALTH_TIMEOUT_MS) {
      try {
        await withTimeout(connectedAdmin().then((a) => a.describeCluster()), timeout_ms)
        return true
      } catch {
        return false
      }
    },
    async close() {
      const closing = admin
      admin = undefined
      await closing?.then((a) => a.disconnect(), () => {})
    },
  }
}

function withTimeout<T>(promise: Promise<T>, timeout_ms: number): Promise<T> {
  let timer: NodeJS.Timeout
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${timeout_ms} ms`)), timeout_ms)
    }),
  ]).finally(() => clearTimeout(timer))
}
