// The Kafka connection (kafkajs) and topic set-up. Other modules receive a Broker, never read config.
import './quiet-timeout-warning.ts'
import kafkajs, { Kafka, logLevel, type Admin } from 'kafkajs'

// Not among the names Node's CommonJS interop finds in kafkajs' exports.
const { ConfigResourceTypes, ConfigSource } = kafkajs
import type { Config } from '../config/config.ts'
import type { Logger } from '../observability/logger.ts'

export interface Broker {
  readonly kafka: Kafka
  readonly topicPrefix: string
  readonly partitions: number
  /** Full topic name for a logical topic ("transfer.prepare" → "agora.transfer.prepare"). */
  topic(name: string): string
  /** Creates the topics that do not exist yet, with the configured partition count; every topic stamps
   *  its messages with the broker's append time (APPEND_TIME_CONFIG). */
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
  const topic = (name: string) => `${config.topicPrefix}${name}`
  return {
    kafka,
    topicPrefix: config.topicPrefix,
    partitions: config.partitions,
    topic,
    async ensureTopics(names) {
      const a = await connectedAdmin()
      const existing = new Set(await a.listTopics())
      await stampAppendTime(a, names.map(topic).filter((t) => existing.has(t)), log).catch((error) => {
        // Not a reason to stay down: without it a prepare Kafka writes after its 2003 is not recognised.
        log?.error({ err: error }, 'Kafka topics could not be set to LogAppendTime (AlterConfigs refused?): a prepare answered 2003 may still take effect if Kafka writes it late')
      })
      const missing = names.map(topic).filter((t) => !existing.has(t))
      if (missing.length === 0) return
      await a.createTopics({
        waitForLeaders: false,
        topics: missing.map((t) => ({ topic: t, numPartitions: config.partitions, replicationFactor: 1, configEntries: [APPEND_TIME_CONFIG] })),
      })
      await waitForLeaders(a, missing)
    },
    async isHealthy(timeout_ms = 2_000) {
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

/** Messages carry the time the broker appended them, so a consumer can tell a request's message that
 *  reached Kafka after the request was refused (batch-consumer.ts, `publishBy`). */
export const APPEND_TIME_CONFIG = { name: 'message.timestamp.type', value: 'LogAppendTime' }

/** Topics made before APPEND_TIME_CONFIG get it, their other topic-level settings kept (alterConfigs replaces them all). */
async function stampAppendTime(admin: Admin, topics: readonly string[], log?: Logger): Promise<void> {
  if (topics.length === 0) return
  const { resources } = await admin.describeConfigs({ includeSynonyms: false, resources: topics.map((name) => ({ type: ConfigResourceTypes.TOPIC, name })) })
  const stale = resources.filter((r) => r.configEntries.find((e) => e.configName === APPEND_TIME_CONFIG.name)?.configValue !== APPEND_TIME_CONFIG.value)
  if (stale.length === 0) return
  log?.warn({ topics: stale.map((r) => r.resourceName) }, 'Kafka topics set to stamp messages with the broker\'s append time')
  await admin.alterConfigs({
    validateOnly: false,
    resources: stale.map((r) => ({
      type: ConfigResourceTypes.TOPIC, name: r.resourceName,
      configEntries: [...r.configEntries.filter((e) => e.configSource === ConfigSource.TOPIC_CONFIG && e.configName !== APPEND_TIME_CONFIG.name).map((e) => ({ name: e.configName, value: e.configValue })), APPEND_TIME_CONFIG],
    })),
  })
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
