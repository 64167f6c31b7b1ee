// Topic admin and committed offsets on kafkajs' admin client (the TopicAdmin of the port, message-bus.ts).
import kafkajs, { type Admin } from 'kafkajs'
import type { Logger } from '../observability/logger.ts'
import type { CommittedOffset, TopicAdmin, TopicSpec } from './message-bus.ts'

// Not among the names Node's CommonJS interop finds in kafkajs' exports.
const { ConfigResourceTypes, ConfigSource } = kafkajs

export function kafkajsTopicAdmin(admin: () => Promise<Admin>, log?: Logger): TopicAdmin {
  return {
    async createTopics(specs) {
      const a = await admin()
      const existing = new Set(await a.listTopics())
      await setTopicConfigs(a, specs.filter((s) => existing.has(s.name)), log)
      const missing = specs.filter((s) => !existing.has(s.name))
      if (missing.length === 0) return
      await a.createTopics({
        waitForLeaders: false,
        topics: missing.map((s) => ({
          topic: s.name, numPartitions: s.partitions, replicationFactor: s.replicationFactor,
          configEntries: Object.entries(s.configs).map(([name, value]) => ({ name, value })),
        })),
      })
      await waitForLeaders(a, missing.map((s) => s.name))
    },
    async missingTopics(names) {
      const existing = new Set(await (await admin()).listTopics())
      return names.filter((n) => !existing.has(n))
    },
    async endOffsets(names) {
      const a = await admin()
      const ends = await Promise.all(names.map(async (topic) => (await a.fetchTopicOffsets(topic)).map((p) => ({ topic, partition: p.partition, offset: BigInt(p.high) }))))
      return ends.flat()
    },
  }
}

export async function kafkajsCommittedOffsets(admin: Admin, groupId: string, topics: readonly string[]): Promise<CommittedOffset[]> {
  const committed: CommittedOffset[] = []
  for (const { topic, partitions } of await admin.fetchOffsets({ groupId, topics: [...topics] })) {
    for (const p of partitions) if (p.offset !== '-1') committed.push({ topic, partition: p.partition, offset: BigInt(p.offset) })
  }
  return committed
}

/** Existing topics get the spec's settings, their other topic-level settings kept (alterConfigs replaces them all). */
async function setTopicConfigs(admin: Admin, specs: readonly TopicSpec[], log?: Logger): Promise<void> {
  if (specs.length === 0) return
  const { resources } = await admin.describeConfigs({ includeSynonyms: false, resources: specs.map((s) => ({ type: ConfigResourceTypes.TOPIC, name: s.name })) })
  const wanted = new Map(specs.map((s) => [s.name, s.configs]))
  const stale = resources.filter((r) => Object.entries(wanted.get(r.resourceName) ?? {}).some(([name, value]) => r.configEntries.find((e) => e.configName === name)?.configValue !== value))
  if (stale.length === 0) return
  log?.warn({ topics: stale.map((r) => r.resourceName) }, 'Kafka topics given the configured settings (message.timestamp.type, min.insync.replicas, max.message.bytes)')
  await admin.alterConfigs({
    validateOnly: false,
    resources: stale.map((r) => {
      const configs = wanted.get(r.resourceName) ?? {}
      const kept = r.configEntries.filter((e) => e.configSource === ConfigSource.TOPIC_CONFIG && !(e.configName in configs))
      return {
        type: ConfigResourceTypes.TOPIC, name: r.resourceName,
        configEntries: [...kept.map((e) => ({ name: e.configName, value: e.configValue })), ...Object.entries(configs).map(([name, value]) => ({ name, value }))],
      }
    }),
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
      const type = (error as { type?: string }).type
      if (type !== 'UNKNOWN_TOPIC_OR_PARTITION' && type !== 'LEADER_NOT_AVAILABLE') throw error
    }
    if (Date.now() > deadline) throw new Error(`Kafka topics ${topics.join(', ')} have no partition leaders after ${TOPIC_LEADERS_WAIT_MS_MAX} ms`)
    await new Promise((resolve) => setTimeout(resolve, TOPIC_LEADERS_POLL_MS))
  }
}
