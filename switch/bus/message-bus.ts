// The message bus, as the switch sees it (the port): keyed messages with headers and a W3C trace context,
// consumer groups that hand one fetch at a time to their handler, committed offsets, topic admin and health.
// Two implementations share one contract suite (message-bus.contract.ts): Kafka through kafkajs
// (kafkajs-bus.ts, the only module that knows kafkajs) and an in-memory bus the caller drives step by step
// (memory-bus.ts, for deterministic tests and simulation). No client library's type appears here.
import type { Context } from '@opentelemetry/api'

export interface OutMessage {
  /** The full topic name (`bus.topic(name)`). */
  topic: string
  /** Messages with one key go to one partition, in the order sent. */
  key: string
  value: string
  headers?: Record<string, string>
  /** This message's own trace (a batch's messages each continue their request's); else the send's. */
  trace?: Context
}

export interface SendOptions {
  /** Epoch ms: a DFSP request's messages are refused (PublishRefused) and withdrawn when the bus has not
   *  acknowledged them by then (publish-queue.ts). Without it a send waits as long as the bus takes. */
  publishBy?: number
  /** The trace the messages continue; the active OpenTelemetry context by default. Its span context goes
   *  out as the W3C `traceparent` (and `tracestate`) header (trace-context.ts). */
  trace?: Context
}

export interface ProducerStatus {
  connected: boolean
  queued: number
  inFlight: number
  /** When the batch now in flight was handed to the bus (epoch ms), if one is. */
  inFlightSince: number | undefined
}

export interface BusProducer {
  /** Resolves once the bus has the messages (every replica in sync: acks=all). */
  send(messages: readonly OutMessage[], opts?: SendOptions): Promise<void>
  status(): ProducerStatus
  /** Resolves once connected (after `beforeConnect` succeeded). */
  readonly connected: Promise<void>
  /** Waits for what is being sent, then disconnects. */
  close(): Promise<void>
}

export interface ProducerOptions {
  /** What must hold before the first message goes out (the topics exist); a rejection is logged and the
   *  connection tried again later, so the producer never connects while it rejects. */
  beforeConnect?: () => Promise<void>
}

export interface ReceivedMessage {
  offset: bigint
  key: string
  value: string
  headers: Readonly<Record<string, string>>
  /** Epoch ms the bus appended the message (the topics stamp LogAppendTime). */
  appendedAt: number
  /** The sender's trace, from its `traceparent` header (the root context when it had none). */
  trace: Context
}

export interface PartitionBatch {
  topic: string
  partition: number
  /** In offset order; never empty. */
  messages: readonly ReceivedMessage[]
  /** Offset of the batch's last message: once the fetch is handled, `last + 1` is committed. */
  last: bigint
}

export interface ConsumerSpec {
  groupId: string
  topics: readonly string[]
  /**
   * One fetch: the batches of every partition that had messages, at most one per partition. Resolving
   * means all of them may be committed; rejecting means all of them are delivered again (from the group's
   * committed offsets). The next fetch of this consumer waits for the answer.
   */
  handle(fetch: readonly PartitionBatch[]): Promise<void>
}

export interface ConsumerState {
  /** Owns its share of the group's partitions (joined, and no rebalance or crash since). */
  joined: boolean
  /** A fetch is in the handler now. */
  handling: boolean
  /** Epoch ms of the last fetch or handled batch (or of the join). */
  lastProgressAt: number
}

export interface BusConsumer {
  /** Resolves once the consumer first joined its group. */
  readonly joined: Promise<void>
  state(): ConsumerState
  stop(): Promise<void>
}

export interface CommittedOffset {
  topic: string
  partition: number
  /** The next offset the group reads. */
  offset: bigint
}

export interface TopicSpec {
  /** Full topic name. */
  name: string
  partitions: number
  replicationFactor: number
  /** Topic-level settings (`message.timestamp.type`, `min.insync.replicas`, …). */
  configs: Readonly<Record<string, string>>
}

export interface TopicAdmin {
  /** Creates the topics that do not exist; those that do get `configs` set (their other settings kept). */
  createTopics(specs: readonly TopicSpec[]): Promise<void>
  /** The given full topic names the bus does not have. */
  missingTopics(names: readonly string[]): Promise<string[]>
  /** Each partition's high watermark (the offset its next message gets), for consumer lag. */
  endOffsets(names: readonly string[]): Promise<CommittedOffset[]>
}

export interface MessageBus {
  readonly topicPrefix: string
  /** Full topic name for a logical topic ("transfer.prepare" → "agora.transfer.prepare"). */
  topic(name: string): string
  producer(opts?: ProducerOptions): BusProducer
  /** Connects, subscribes and joins in the background; handles fetches until stopped. */
  consumer(spec: ConsumerSpec): BusConsumer
  /** The group's committed offsets on these topics (partitions without one are left out). */
  committedOffsets(groupId: string, topics: readonly string[]): Promise<CommittedOffset[]>
  readonly admin: TopicAdmin
  /** True when the bus answers within the time limit. */
  isHealthy(timeout_ms?: number): Promise<boolean>
  close(): Promise<void>
}

/** Stamps each message with the time the bus appended it: a consumer tells a request's message that
 *  arrived after the request was refused (batch-consumer.ts, `publishBy`). */
export const APPEND_TIME_CONFIG = { name: 'message.timestamp.type', value: 'LogAppendTime' } as const
