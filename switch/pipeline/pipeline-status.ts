// What a process's pipeline reports for readiness (api/readiness.ts): its producer and its consumers.
import type { ProducerStatus } from '../bus/message-bus.ts'
import type { ConsumerStatus } from './batch-consumer.ts'

export interface PipelineStatus {
  /** `stalled`: a batch has been in flight to Kafka longer than a request may wait (PUBLISH_TIMEOUT_MS). */
  producer: ProducerStatus & { stalled: boolean }
  /** Empty until the consumers are started (producer connected, database migrated). */
  consumers: ConsumerStatus[]
  /** The consumers this process's roles run. */
  consumersExpected: number
}
