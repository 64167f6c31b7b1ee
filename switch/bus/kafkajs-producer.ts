// The bus producer on kafkajs (idempotent, acks=all) behind the publish queue (publish-queue.ts): one
// sendBatch in flight. It connects in the background: the HTTP ports are open before Kafka answers, and a
// request's messages wait at most until their `publishBy` for the connection (then 2003), never
// unboundedly. After a batch Kafka refused, the next goes through a new producer: an idempotent producer's
// sequence numbers counted the refused batch, and the broker would answer every later one "out of order
// sequence number". The trace context is put in the headers when `send` is called (trace-context.ts), not
// when the batch goes out, so each message carries its own sender's trace; a message of a sampled trace
// gets its own publish span, ended when Kafka took it.
import { context, trace as traceApi, type Span } from '@opentelemetry/api'
import type { Kafka, Producer } from 'kafkajs'
import type { Logger } from '../observability/logger.ts'
import type { BusProducer, ProducerOptions } from './message-bus.ts'
import { createPublishQueue } from './publish-queue.ts'
import { endPublishSpans, publishSpan, withTraceHeaders } from './trace-context.ts'

/** A failed connection attempt (after kafkajs' own retries, or `beforeConnect` refusing) is tried again after this long. */
export const CONNECT_RETRY_MS = 1_000
/** A refusal of `beforeConnect` that repeats is logged again every this many attempts (at error). */
const REFUSAL_LOG_EVERY_ATTEMPTS = 30

export function createKafkajsProducer(kafka: Kafka, opts: ProducerOptions & { log?: Logger }): BusProducer {
  const newProducer = (): Producer => kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false })
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
        await opts.beforeConnect?.().catch((error: unknown) => {
          if (attempt % REFUSAL_LOG_EVERY_ATTEMPTS === 1) opts.log?.error({ err: error, attempt }, (error as Error).message)
          throw Object.assign(new Error('not connecting yet'), { logged: true })
        })
        await producer.connect()
        queue.connected()
        return
      } catch (error) {
        if (!(error as { logged?: boolean }).logged) opts.log?.warn({ err: error, attempt }, 'Kafka producer not connected yet; trying again')
        await new Promise((resolve) => setTimeout(resolve, CONNECT_RETRY_MS))
      }
    }
  })()
  return {
    send: (messages, sendOpts) => {
      const trace = sendOpts?.trace ?? context.active()
      let spans: Span[] | undefined
      const out = messages.map((m) => {
        const ctx = m.trace ?? trace
        const span = publishSpan(ctx, m.topic)
        if (span) (spans ??= []).push(span)
        return { topic: m.topic, key: m.key, value: m.value, headers: withTraceHeaders(m.headers, span ? traceApi.setSpan(ctx, span) : ctx) }
      })
      const sent = queue.send(out, sendOpts)
      if (!spans) return sent
      const traced = spans
      return sent.then(() => endPublishSpans(traced), (error: unknown) => { endPublishSpans(traced, error); throw error })
    },
    status: () => queue.status(),
    connected,
    async close() {
      closed = true
      await queue.drained()
      await producer.disconnect()
    },
  }
}
