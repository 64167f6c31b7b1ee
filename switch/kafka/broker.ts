// The Kafka connection (kafkajs) and topic set-up. Other modules receive a Broker, never read config.
import './quiet-timeout-warning.ts'
import { Kafka, logLevel, type Admin } from 'kafkajs'
import type { Config } from '../config.ts'
import type { Logger } from '../observability/logger.ts'

export interface Broker {
  readonly kafka: Kafka
  readonly topicPrefix: string
  readonly partitions: number
  /** The consumers' session timeout (ms), when the config sets one. */
  readonly sessionTimeout_ms?: number
  /** Full topic name for a logical topic ("transfer.prepare" → "agora.transfer.prepare"). */
  topic(name: string): string
  /** Creates the topics that do not exist yet, with the configured partition count. */
  ensureTopics(names: readonly string[]): Promise<void>
  /** True when the cluster answers within the time limit. */
  isHealthy(timeout_ms?: number): Promise<boolean>
  close(): Promise<void>
}

/** kafkajs logs go to the given logger (retried, transient errors included, at warn); none: silent. */
export function openBroker(config: Config['kafka'], log?: Logger): Broker {
  const kafka = new Kafka({
    clientId: config.clientId,
    brokers: [...config.brokers],
    logLevel: log ? logLevel.WARN : logLevel.NOTHING,
    logCreator: () => ({ namespace, log: entry }) => log?.warn({ kafka: namespace, ...entry }, entry.message),
    retry: { retries: 8, initialRetryTime: 100 },
  })
  let admin: Admin | undefined
  const connectedAdmin = async (): Promise<Admin> => {
    if (!admin) {
      const created = kafka.admin()
      await created.connect()
      admin = created
    }
    return admin
  }
  const topic = (name: string) => `${config.topicPrefix}${name}`
  return {
    kafka,
    topicPrefix: config.topicPrefix,
    partitions: config.partitions,
    sessionTimeout_ms: config.sessionTimeout_ms,
    topic,
    async ensureTopics(names) {
      const a = await connectedAdmin()
      const existing = new Set(await a.listTopics())
      const missing = names.map(topic).filter((t) => !existing.has(t))
      if (missing.length === 0) return
      await a.createTopics({
        waitForLeaders: false,
        topics: missing.map((t) => ({ topic: t, numPartitions: config.partitions, replicationFactor: 1 })),
      })
      await waitForLeaders(a, missing)
    },
    async isHealthy(timeout_ms = 2_000) {
      try {
        const a = await connectedAdmin()
        await withTimeout(a.describeCluster(), timeout_ms)
        return true
      } catch {
        return false
      }
    },
    async close() {
      await admin?.disconnect()
      admin = undefined
    },
  }
}

/** Bounds the wait for new topics' partition leaders (kafkajs' own wait gives up on UNKNOWN_TOPIC_OR_PARTITION
 *  when the broker's metadata lags its controller, as it does on a loaded machine). */
export const TOPIC_LEADERS_WAIT_MS_MAX = 30_000
const TOPIC_LEADERS_POLL_MS = 100

async function waitForLeaders(admin: Admin, topics: readonly string[]): Promise<void> {
  const deadline = Date.now() + TOPIC_LEADERS_WAIT_MS_MAX
  for (;;) {
    try {
      const { topics: described } = await admin.fetchTopicMetadata({ topics: [...topics] })
      if (described.length === topics.length && described.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0))) return
    } catch (error) {
      if ((error as { type?: string }).type !== 'UNKNOWN_TOPIC_OR_PARTITION' && (error as { type?: string }).type !== 'LEADER_NOT_AVAILABLE') throw error
    }
    if (Date.now() > deadline) throw new Error(`Kafka topics ${topics.join(', ')} have no partition leaders after ${TOPIC_LEADERS_WAIT_MS_MAX} ms`)
    await new Promise((resolve) => setTimeout(resolve, TOPIC_LEADERS_POLL_MS))
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
