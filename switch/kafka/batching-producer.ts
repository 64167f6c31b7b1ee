// Batches produce calls in the application: messages queue up while one sendBatch is in flight (kafkajs
// does no client-side batching, and concurrent sends on an idempotent producer can lose messages), then
// go out together. Each send resolves once Kafka has the message (acks=all).
import type { Producer, Message } from 'kafkajs'
import type { Broker } from './broker.ts'

export const BATCH_MESSAGES_MAX = 2_000

export interface OutMessage {
  topic: string
  key: string
  value: string
  headers?: Record<string, string>
}

export interface BatchingProducer {
  send(messages: readonly OutMessage[]): Promise<void>
  close(): Promise<void>
}

interface Pending {
  messages: readonly OutMessage[]
  resolve: () => void
  reject: (error: Error) => void
}

export async function createBatchingProducer(broker: Broker): Promise<BatchingProducer> {
  const producer: Producer = broker.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false })
  await producer.connect()
  let queue: Pending[] = []
  let flushing: Promise<void> | undefined

  async function flush(): Promise<void> {
    while (queue.length > 0) {
      const taken: Pending[] = []
      let count = 0
      while (queue.length > 0 && (count === 0 || count + queue[0]!.messages.length <= BATCH_MESSAGES_MAX)) {
        const next = queue.shift()!
        taken.push(next)
        count += next.messages.length
      }
      const byTopic = new Map<string, Message[]>()
      for (const pending of taken) {
        for (const m of pending.messages) {
          let list = byTopic.get(m.topic)
          if (!list) byTopic.set(m.topic, (list = []))
          list.push({ key: m.key, value: m.value, headers: m.headers })
        }
      }
      try {
        await producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) })
        for (const p of taken) p.resolve()
      } catch (error) {
        for (const p of taken) p.reject(error as Error)
      }
    }
    flushing = undefined
  }

  return {
    send(messages) {
      if (messages.length === 0) return Promise.resolve()
      return new Promise<void>((resolve, reject) => {
        queue.push({ messages, resolve, reject })
        flushing ??= Promise.resolve().then(flush)
      })
    },
    async close() {
      await flushing
      queue = []
      await producer.disconnect()
    },
  }
}
