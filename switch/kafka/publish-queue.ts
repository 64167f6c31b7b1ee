// The queue in front of Kafka: messages wait while one batch is in flight (kafkajs does no client-side
// batching, and concurrent sends on an idempotent producer can lose messages), then go out together.
// Two kinds of send:
// - the pipeline's own (`send(messages)`): waits as long as Kafka takes; its callers (consumers, the relay,
//   the scanner) are bounded by their own batches and retry what fails;
// - a DFSP request's (`send(messages, { publishBy })`): refused at once when the queue is full or Kafka has
//   held the batch in flight longer than PUBLISH_TIMEOUT_MS (it would only wait behind it), and refused at
//   `publishBy` when Kafka has not acknowledged it by then. A message still queued at that moment is
//   withdrawn (it is never sent); one already in flight may still reach Kafka later, which is why it
//   carries `publishBy` and the consumers drop what Kafka appended after it (batch-consumer.ts).

export const BATCH_MESSAGES_MAX = 2_000
/** Messages queued or in flight beyond which a request's send is refused (back-pressure: 2003, not an unbounded queue). */
export const QUEUED_MESSAGES_MAX = 10_000
/** How long a DFSP request's messages may take to reach Kafka before the request is answered 2003. */
export const PUBLISH_TIMEOUT_MS = 2_500

/** The `publishBy` of a DFSP request's messages sent now. */
export function requestDeadline(now = Date.now()): number {
  return now + PUBLISH_TIMEOUT_MS
}

export interface OutMessage {
  topic: string
  key: string
  value: string
  headers?: Record<string, string>
}

export interface SendOptions {
  /** Epoch ms: refuse (and withdraw) the messages when Kafka has not acknowledged them by then. */
  publishBy?: number
}

/** Why a request's messages were not taken: the API answers 2003 Service currently unavailable. */
export class PublishRefused extends Error {
  readonly reason: 'saturated' | 'stalled' | 'not-connected' | 'timed-out'

  constructor(reason: PublishRefused['reason'], message: string) {
    super(message)
    this.name = 'PublishRefused'
    this.reason = reason
  }
}

export interface PublishQueueStatus {
  connected: boolean
  queued: number
  inFlight: number
  /** When the batch now in flight was handed to Kafka (epoch ms), if one is. */
  inFlightSince: number | undefined
}

export interface PublishQueue {
  send(messages: readonly OutMessage[], opts?: SendOptions): Promise<void>
  /** Kafka is reachable: batches may go out. */
  connected(): void
  status(): PublishQueueStatus
  /** Resolves once the batches going out now are done (nothing goes out before connected()). */
  drained(): Promise<void>
}

interface Pending {
  messages: readonly OutMessage[]
  settled: boolean
  resolve: () => void
  reject: (error: Error) => void
}

export type SendBatch = (topicMessages: { topic: string; messages: { key: string; value: string; headers?: Record<string, string> }[] }[]) => Promise<void>

export function createPublishQueue(sendBatch: SendBatch, limits: { queuedMessagesMax?: number; batchMessagesMax?: number } = {}): PublishQueue {
  const queuedMax = limits.queuedMessagesMax ?? QUEUED_MESSAGES_MAX
  const batchMax = limits.batchMessagesMax ?? BATCH_MESSAGES_MAX
  const queue: Pending[] = []
  let queuedCount = 0
  let inFlight: Pending[] = []
  let inFlightCount = 0
  let inFlightSince: number | undefined
  let isConnected = false
  let flushing: Promise<void> | undefined

  function settle(p: Pending, error?: Error): void {
    if (p.settled) return
    p.settled = true
    if (error) p.reject(error)
    else p.resolve()
  }

  async function flush(): Promise<void> {
    while (isConnected && queue.length > 0) {
      let count = 0
      while (queue.length > 0 && (count === 0 || count + queue[0]!.messages.length <= batchMax)) {
        const next = queue.shift()!
        queuedCount -= next.messages.length
        inFlight.push(next)
        count += next.messages.length
      }
      if (inFlight.length === 0) continue
      inFlightCount = count
      inFlightSince = Date.now()
      const byTopic = new Map<string, { key: string; value: string; headers?: Record<string, string> }[]>()
      for (const pending of inFlight) {
        for (const m of pending.messages) {
          let list = byTopic.get(m.topic)
          if (!list) byTopic.set(m.topic, (list = []))
          list.push({ key: m.key, value: m.value, headers: m.headers })
        }
      }
      try {
        await sendBatch([...byTopic].map(([topic, messages]) => ({ topic, messages })))
        for (const p of inFlight) settle(p)
      } catch (error) {
        for (const p of inFlight) settle(p, error as Error)
      }
      inFlight = []
      inFlightCount = 0
      inFlightSince = undefined
    }
    flushing = undefined
  }
  const kick = () => {
    if (isConnected) flushing ??= Promise.resolve().then(flush)
  }

  return {
    send(messages, opts = {}) {
      if (messages.length === 0) return Promise.resolve()
      const { publishBy } = opts
      if (publishBy !== undefined && queuedCount + inFlightCount + messages.length > queuedMax) {
        return Promise.reject(new PublishRefused('saturated', `the switch has ${queuedCount + inFlightCount} messages waiting for Kafka (at most ${queuedMax})`))
      }
      if (publishBy !== undefined && inFlightSince !== undefined && Date.now() - inFlightSince > PUBLISH_TIMEOUT_MS) {
        return Promise.reject(new PublishRefused('stalled', `Kafka has not answered for ${Date.now() - inFlightSince} ms`))
      }
      return new Promise<void>((resolve, reject) => {
        const pending: Pending = { messages, settled: false, resolve, reject }
        if (publishBy !== undefined) {
          const timer = setTimeout(() => {
            const why = isConnected
              ? new PublishRefused('timed-out', `Kafka did not take the message within ${PUBLISH_TIMEOUT_MS} ms`)
              : new PublishRefused('not-connected', 'the switch is not connected to Kafka')
            // Still queued: withdrawn (it never goes out). In flight: its late outcome is ignored.
            const queued = queue.indexOf(pending)
            if (queued >= 0) {
              queue.splice(queued, 1)
              queuedCount -= messages.length
            }
            settle(pending, why)
          }, Math.max(0, publishBy - Date.now()))
          const done = () => clearTimeout(timer)
          pending.resolve = () => { done(); resolve() }
          pending.reject = (error) => { done(); reject(error) }
        }
        queue.push(pending)
        queuedCount += messages.length
        kick()
      })
    },
    connected() {
      isConnected = true
      kick()
    },
    status: () => ({ connected: isConnected, queued: queuedCount, inFlight: inFlightCount, inFlightSince }),
    async drained() {
      await flushing
    },
  }
}
