// The real Kafka for one test file, with a topic prefix of its own so files do not share topics, and the
// one way tests and benchmarks create topics before they start a switch (the switch never creates them).
import { randomBytes } from 'node:crypto'
import { loadConfig, type Config } from '../../switch/config.ts'
import { openKafkajsBus } from '../../switch/bus/kafkajs-bus.ts'
import type { MessageBus } from '../../switch/bus/message-bus.ts'
import { topicSpecs } from '../../switch/bus/topic-specs.ts'
import { ALL_TOPICS } from '../../switch/pipeline/messages.ts'

export function testKafkaConfig(label = 'test', partitions = 2): Config['kafka'] {
  const base = loadConfig().kafka
  return { ...base, clientId: `agora-${label}`, topicPrefix: `t${randomBytes(4).toString('hex')}.${label}.`, partitions }
}

/** A bus on the shared Kafka; `config` says the topic prefix and the partitions its topics get. */
export interface TestBus extends MessageBus {
  readonly config: Config['kafka']
}

export function openTestBus(label = 'test', partitions = 2): TestBus {
  const config = testKafkaConfig(label, partitions)
  return Object.assign(openKafkajsBus(config), { config })
}

/** Creates the named (logical) topics as `agora topics create` does; the switch's topics by default. */
export async function createTopics(bus: MessageBus, config: Config['kafka'], names: readonly string[] = ALL_TOPICS): Promise<void> {
  await bus.admin.createTopics(topicSpecs(bus, config, names))
}

/** Creates the switch's topics for a switch process started with `env` (AGORA_KAFKA_TOPIC_PREFIX and the
 *  like, on top of this process's), before it starts. */
export async function createSwitchTopics(env: Readonly<Record<string, string>>): Promise<void> {
  const config = loadConfig({ ...process.env, ...env }).kafka
  const bus = openKafkajsBus(config)
  try {
    await createTopics(bus, config)
  } finally {
    await bus.close()
  }
}
