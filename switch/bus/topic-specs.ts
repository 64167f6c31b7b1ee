// The switch's topics as the bus creates them: partitions, replication factor and min.insync.replicas from
// config, every topic stamping LogAppendTime. Topics are created explicitly (`agora topics create`, the
// scripts that start Kafka, the Helm hook Job), never by a role at start: a role checks that its topics
// exist and, while some are missing, says which and how to create them (requireTopics).
import type { Config } from '../config/config.ts'
import { APPEND_TIME_CONFIG, type MessageBus, type TopicSpec } from './message-bus.ts'

/** What an operator runs to create the switch's topics (README, "Configuration"). */
export const CREATE_TOPICS_COMMAND = 'npx agora topics create'

/** Kafka's max.message.bytes on every topic: a full bulk of 1,000 transfers with Mojaloop-sized ILP packets
 *  (600-1,000 characters each) is one message of 1-1.5 MB, over Kafka's 1 MB default. */
export const MESSAGE_BYTES_MAX = 8 * 1024 * 1024

export function topicSpecs(bus: MessageBus, config: Config['kafka'], names: readonly string[]): TopicSpec[] {
  return names.map((name) => ({
    name: bus.topic(name), partitions: config.partitions, replicationFactor: config.replicationFactor,
    configs: { [APPEND_TIME_CONFIG.name]: APPEND_TIME_CONFIG.value, 'min.insync.replicas': String(config.minInsyncReplicas), 'max.message.bytes': String(MESSAGE_BYTES_MAX) },
  }))
}

/** Some of the switch's topics do not exist: the role waits (not ready) until they are created. */
export class MissingTopics extends Error {
  readonly topics: readonly string[]
  constructor(topics: readonly string[]) {
    super(`Kafka topics missing: ${topics.join(', ')}. Create them with \`${CREATE_TOPICS_COMMAND}\` (same AGORA_KAFKA_* settings); the switch stays not ready until they exist`)
    this.name = 'MissingTopics'
    this.topics = topics
  }
}

/** Resolves when every named (logical) topic exists; rejects with MissingTopics otherwise. */
export async function requireTopics(bus: MessageBus, names: readonly string[]): Promise<void> {
  const missing = await bus.admin.missingTopics(names.map((n) => bus.topic(n)))
  if (missing.length > 0) throw new MissingTopics(missing)
}
