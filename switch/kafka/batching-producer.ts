// The switch's one Kafka producer (idempotent, acks=all) behind the publish queue (publish-queue.ts).
// It connects in the background: the HTTP ports are open before Kafka answers, and a request's messages
// wait at most until their `publishBy` for the connection (then 2003), never unboundedly. After a batch
// Kafka refused, the next goes through a new producer: an idempotent producer's sequence numbers counted
// the refused batch, and the broker would answer every later one "out of order sequence number".
import type { Producer } from 'kafkajs'
import type { Broker } from './broker.ts'
import type { Logger } from '../observability/logger.ts'
import { createPublishQueue, type OutMessage, type PublishQueueStatus, type SendOptions } from './publish-queue.ts'

export { PUBLISH_TIMEOUT_MS, requestDeadline, type OutMessage } from './publish-queue.ts'

/** A failed connection attempt (after kafkajs' own retries) is tried again after this long. */
export const CONNECT_RETRY_MS = 1_000

export interface BatchingProducer {
  /** Resolves once Kafka has the messages (acks=all); with `publishBy`, bounded (see publish-queue.ts). */
  send(messages: readonly OutMessage[], opts?: SendOptions): Promise<void>
  status(): PublishQueueStatus
  /** Resolves once connected (for tests and the start-up log). */
  readonly connected: Promise<void>
  close(): Promise<void>
}

/** `beforeConnect`: what must exist before the first message goes out (the topics). */
export function createBatchingProducer(broker: Broker, opts: { log?: Logger; beforeConnect?: () => Promise<void> } = {}): BatchingProducer {
  const newProducer = (): Producer => broker.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false })
  let producer = newProducer()
  let refused = false
  const queue = createPublishQueue(async (topicMessages) => {
    if (refused) {
      await producer.disconnect().catch(() => {})
      producer = newProducer()
      await producer.connect()
      refused = false
    }
    try {
      await producer.sendBatch({ acks: -1, topicMessages })
    } catch (error) {
      refused = true
      opts.log?.warn({ err: error }, 'Kafka refused a batch; the next goes through a new producer')
      throw error
    }
  })
  let closed = false
  const connected = (async () => {
    for (let attempt = 1; !closed; attempt++) {
      try {
        await opts.beforeConnect?.()
        await producer.connect()
        queue.connected()
        return
      } catch (error) {
        opts.log?.warn({ err: error, attempt }, 'Kafka producer not connected yet; trying again')
        await new Promise((resolve) => setTimeout(resolve, CONNECT_RETRY_MS))
      }
    }
  })()
  return {
    send: (messages, sendOpts) => queue.send(messages, sendOpts),
    status: () => queue.status(),
    connected,
    async close() {
      closed = true
      await queue.drained()
      await producer.disconnect()
    },
  }
}
