// Batches produce calls in the application: messages queue up while one sendBatch is in flight (kafkajs
// does no client-side batching, and concurrent sends on an idempotent producer can lose messages), then
// go out together. Each send resolves once Kafka has the message (acks=all).
import type { Producer, Message } from 'kafkajs'
import type { Broker } from './broker.ts'

export const BATCH_MESSAGES_MAX = 2_000
/** Bytes of one sendBatch, all partitions together (keys, values, headers and a record's overhead). Kafka
 *  refuses a partition's record batch above message.max.bytes (1 MiB by default) with MESSAGE_TOO_LARGE, and
 *  an idempotent producer whose batch was refused is left with sequence numbers the broker no longer
 *  accepts (OUT_OF_ORDER_SEQUENCE_NUMBER on every later send). 2,000 forwarded prepares, which carry the
 *  sender's headers and signature, came to more than that under load: every send failed from then on. */
export const BATCH_BYTES_MAX = 512 * 1024
/** What a record costs beyond its key, value and headers (length fields, offsets, timestamps). */
export const RECORD_OVERHEAD_BYTES = 64

export function messageBytes(m: OutMessage): number {
  let n = RECORD_OVERHEAD_BYTES + Buffer.byteLength(m.key) + Buffer.byteLength(m.value)
  for (const [k, v] of Object.entries(m.headers ?? {})) n += Buffer.byteLength(k) + Buffer.byteLength(v)
  return n
}

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
      let bytes = 0
      const sizeOf = (p: Pending) => p.messages.reduce((n, m) => n + messageBytes(m), 0)
      while (queue.length > 0 && (count === 0 || (count + queue[0]!.messages.length <= BATCH_MESSAGES_MAX && bytes + sizeOf(queue[0]!) <= BATCH_BYTES_MAX))) {
        const next = queue.shift()!
        taken.push(next)
        count += next.messages.length
        bytes += sizeOf(next)
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
      // One call's messages may be more than a batch holds: queued in order, as consecutive chunks.
      return Promise.all(chunksOf(messages).map((chunk) => new Promise<void>((resolve, reject) => {
        queue.push({ messages: chunk, resolve, reject })
        flushing ??= Promise.resolve().then(flush)
      }))).then(() => undefined)
    },
    async close() {
      await flushing
      queue = []
      await producer.disconnect()
    },
  }
}

/** Messages in order, cut into chunks of at most BATCH_MESSAGES_MAX messages and BATCH_BYTES_MAX bytes. */
export function chunksOf(messages: readonly OutMessage[]): OutMessage[][] {
  const chunks: OutMessage[][] = []
  let current: OutMessage[] = []
  let bytes = 0
  for (const m of messages) {
    const size = messageBytes(m)
    if (current.length > 0 && (current.length >= BATCH_MESSAGES_MAX || bytes + size > BATCH_BYTES_MAX)) {
      chunks.push(current)
      current = []
      bytes = 0
    }
    current.push(m)
    bytes += size
  }
  if (current.length > 0) chunks.push(current)
  return chunks
}
