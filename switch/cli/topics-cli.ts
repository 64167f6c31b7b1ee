// `agora topics`: the switch's Kafka topics, created explicitly (the roles only check that they exist).
// Partitions, replication factor and min.insync.replicas come from config (AGORA_KAFKA_PARTITIONS,
// AGORA_KAFKA_REPLICATION_FACTOR, AGORA_KAFKA_MIN_INSYNC_REPLICAS). Run by scripts/deps.sh up, npm start
// and the Helm hook Job (pre-install, pre-upgrade).
import { loadConfig } from '../config/config.ts'
import { openKafkajsBus } from '../bus/kafkajs-bus.ts'
import { topicSpecs } from '../bus/topic-specs.ts'
import { ALL_TOPICS } from '../pipeline/messages.ts'

export const TOPICS_USAGE = [
  'topics create                 creates the switch\'s Kafka topics that do not exist (partitions, replication factor,',
  '                                min.insync.replicas from AGORA_KAFKA_*); existing ones get LogAppendTime and min.insync.replicas',
  '  topics missing                lists the switch\'s topics that do not exist (exit code 1 if any)',
].join('\n')

export async function topicsCommand(argv: string[]): Promise<void> {
  const [sub] = argv.filter((a) => !a.startsWith('-'))
  if (argv.includes('--help') || argv.includes('-h') || (sub !== 'create' && sub !== 'missing')) {
    console.log(`usage: agora ${TOPICS_USAGE}`)
    if (!argv.includes('--help') && !argv.includes('-h')) process.exitCode = 2
    return
  }
  const config = loadConfig().kafka
  const bus = openKafkajsBus(config)
  try {
    const specs = topicSpecs(bus, config, ALL_TOPICS)
    if (sub === 'create') {
      await bus.admin.createTopics(specs)
      console.log(`Kafka topics ready on ${config.brokers.join(',')} (${config.partitions} partitions, replication factor ${config.replicationFactor}, min.insync.replicas ${config.minInsyncReplicas} for new ones): ${specs.map((s) => s.name).join(', ')}`)
      return
    }
    const missing = await bus.admin.missingTopics(specs.map((s) => s.name))
    for (const name of missing) console.log(name)
    if (missing.length > 0) process.exitCode = 1
  } finally {
    await bus.close()
  }
}
