// The queue in front of Kafka: messages wait while one batch is in flight (kafkajs does no client-side
// batching, and concurrent sends on an idempotent producer can lose messages), then go out together, in
// order, in batches of at most BATCH_MESSAGES_MAX messages and BATCH_BYTES_MAX bytes (a send larger than
// that goes out over several batches), so a backlog never makes a request Kafka refuses as too large.
// Two kinds of send:
// - the pipeline's own (`send(messages)`): waits as long as Kafka takes; its callers (consumers, the relay,
//   the scanner) are bounded by their own batches and retry what fails;
// - a DFSP request's (`send(messages, { publishBy })`): refused at once when the queue is full or Kafka has
//   held the batch in flight longer than PUBLISH_TIMEOUT_MS (it would only wait behind it), and refused at
//   `publishBy` when Kafka has not acknowledged it by then. A message still queued at that moment is
//   withdrawn (it is never sent); one already in flight may still reach Kafka later, which is why it
//   carries `publishBy` and the consumers drop what Kafka appended after it (batch-consumer.ts).
// It knows no client library: the bus implementation gives it `sendBatch`.

import type { OutMessage, ProducerStatus, SendOptions } from './message-bus.ts'

export type { OutMessage, SendOptions } from './message-bus.ts'

export const BATCH_MESSAGES_MAX = 2_000
/** Bytes of keys, values and headers in one batch: under the broker's default `message.max.bytes`
 *  (1,048,588, the largest record batch of a partition), with room for the records' own framing. */
export const BATCH_BYTES_MAX = 768 * 1024
/** Framing of one record in a batch (lengths, offsets, timestamps, attributes), counted with its bytes. */
const RECORD_OVERHEAD_BYTES = 32
/** Messages queued or in flight beyond which a request's send is refused (back-pressure: 2003, not an unbounded queue). */
export const QUEUED_MESSAGES_MAX = 10_000
/** How long a DFSP request's messages may take to reach Kafka before the request is answered 2003. */
export const PUBLISH_TIMEOUT_MS = 2_500

/** The `publishBy` of a DFSP request's messages sent now. */
export function requestDeadline(now = Date.now()): number {
  return now + PUBLISH_TIMEOUT_MS
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

export type PublishQueueStatus = ProducerStatus

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
  /** How many of its messages have gone into batches so far. */
  taken: number
  settled: boolean
  resolve: () => void
  reject: (error: Error) => void
}

export type SendBatch = (topicMessages: { topic: string; messages: { key: string; value: string; headers?: Record<string, string> }[] }[]) => Promise<void>

function sizeOf(m: OutMessage): number {
  let bytes = RECORD_OVERHEAD_BYTES + Buffer.byteLength(m.key) + Buffer.byteLength(m.value)
  for (const [name, value] of Object.entries(m.headers ?? {})) bytes += Buffer.byteLength(name) + Buffer.byteLength(value)
  return bytes
}

export function createPublishQueue(sendBatch: SendBatch, limits: { queuedMessagesMax?: number; batchMessagesMax?: number; batchBytesMax?: number } = {}): PublishQueue {
  const queuedMax = limits.queuedMessagesMax ?? QUEUED_MESSAGES_MAX
  const batchMax = limits.batchMessagesMax ?? BATCH_MESSAGES_MAX
  const batchBytesMax = limits.batchBytesMax ?? BATCH_BYTES_MAX
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

  /** The next batch: whole sends while they fit, the head's next messages when a send is larger than a batch
   *  (at least one message, so one larger than BATCH_BYTES_MAX goes alone and Kafka's refusal is its own). */
  function nextBatch(): { batch: { key: string; value: string; headers?: Record<string, string>; topic: string }[]; ending: Pending[] } {
    const batch: { key: string; value: string; headers?: Record<string, string>; topic: string }[] = []
    const ending: Pending[] = []
    let bytes = 0
    while (queue.length > 0) {
      const head = queue[0]!
      while (head.taken < head.messages.length) {
        const m = head.messages[head.taken]!
        const size = sizeOf(m)
        if (batch.length > 0 && (batch.length + 1 > batchMax || bytes + size > batchBytesMax)) return { batch, ending }
        batch.push(m)
        bytes += size
        head.taken++
        queuedCount--
        if (!inFlight.includes(head)) inFlight.push(head)
      }
      queue.shift()
      ending.push(head)
    }
    return { batch, ending }
  }

  async function flush(): Promise<void> {
    while (isConnected && queue.length > 0) {
      const { batch, ending } = nextBatch()
      if (batch.length === 0) continue
      inFlightCount = batch.length
      inFlightSince = Date.now()
      const byTopic = new Map<string, { key: string; value: string; headers?: Record<string, string> }[]>()
      for (const m of batch) {
        let list = byTopic.get(m.topic)
        if (!list) byTopic.set(m.topic, (list = []))
        list.push({ key: m.key, value: m.value, headers: m.headers })
      }
      try {
        await sendBatch([...byTopic].map(([topic, messages]) => ({ topic, messages })))
        for (const p of ending) settle(p)
      } catch (error) {
        // Every send with a message in this batch fails; the rest of one that spans batches is not sent.
        for (const p of inFlight) settle(p, error as Error)
        const rest = queue[0]
        if (rest && inFlight.includes(rest)) {
          queue.shift()
          queuedCount -= rest.messages.length - rest.taken
        }
      }
      inFlight = inFlight.filter((p) => !p.settled)
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
        const pending: Pending = { messages, taken: 0, settled: false, resolve, reject }
        if (publishBy !== undefined) {
          const timer = setTimeout(() => {
            const why = isConnected
              ? new PublishRefused('timed-out', `Kafka did not take the message within ${PUBLISH_TIMEOUT_MS} ms`)
              : new PublishRefused('not-connected', 'the switch is not connected to Kafka')
            // Still queued: withdrawn (it never goes out). In flight: its late outcome is ignored.
            const queued = queue.indexOf(pending)
            if (queued >= 0) {
              queue.splice(queued, 1)
              queuedCount -= messages.length - pending.taken
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
