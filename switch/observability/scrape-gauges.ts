// Gauges read when Prometheus scrapes: consumer lag per group and topic-partition (the bus's high
// watermark minus the group's committed offset), the outbox backlog, callbacks waiting for a retry and
// dead letters, and each DFSP's position, reserved amount and net debit cap per currency (from the
// ledger). Sources are read once per scrape, all together; one that fails is logged and its gauges left
// empty for that scrape (a stale value would look healthy).
import { Gauge } from 'prom-client'
import type { Logger } from './logger.ts'
import type { Metrics } from './metrics.ts'

export interface LagRow {
  group: string
  topic: string
  partition: number
  lag: number
}

export interface BacklogSample {
  outboxUnpublished: number
  outboxOldest_s: number
  callbackRetriesWaiting: number
  deadLetters: number
}

export interface PositionSample {
  participant: string
  currency: string
  position: number
  reserved: number
  /** undefined: no net debit cap set. */
  netDebitCap: number | undefined
}

export interface ScrapeSources {
  consumerLag(): Promise<LagRow[]>
  backlog(): Promise<BacklogSample>
  positions(): Promise<PositionSample[]>
}

export const SCRAPED_GAUGES = [
  'agora_consumer_lag_messages', 'agora_outbox_unpublished_messages', 'agora_outbox_oldest_unpublished_seconds', 'agora_callback_retries_waiting',
  'agora_callback_dead_letters', 'agora_participant_position', 'agora_participant_reserved', 'agora_participant_net_debit_cap', 'agora_participant_net_debit_cap_used_ratio',
] as const

/** Registers the gauges on the metrics' registry; each scrape reads the sources once. */
export function registerScrapeGauges(metrics: Metrics, sources: ScrapeSources, log: Logger): void {
  // prom-client calls each gauge's collect on a scrape: the first of a scrape reads, the others wait for it.
  let reading: Promise<void> | undefined
  const collect = async () => {
    reading ??= read().finally(() => { setImmediate(() => { reading = undefined }) })
    await reading
  }
  const registers = [metrics.registry]
  // A pipeline started again on the same registry (tests) reads its own sources.
  for (const name of SCRAPED_GAUGES) metrics.registry.removeSingleMetric(name)
  const lag = new Gauge({ name: 'agora_consumer_lag_messages', help: 'Messages a consumer group has not committed yet, per topic-partition (high watermark minus committed offset)', labelNames: ['group', 'topic', 'partition'], registers, collect })
  const outbox = new Gauge({ name: 'agora_outbox_unpublished_messages', help: 'Outbox rows committed but not yet published to the bus', registers, collect })
  const outboxOldest = new Gauge({ name: 'agora_outbox_oldest_unpublished_seconds', help: 'Age of the oldest unpublished outbox row (0 when none)', registers, collect })
  const retries = new Gauge({ name: 'agora_callback_retries_waiting', help: 'Callbacks waiting for a retry', registers, collect })
  const dead = new Gauge({ name: 'agora_callback_dead_letters', help: 'Callbacks dead-lettered (rows kept for operators)', registers, collect })
  const labelNames = ['participant', 'currency'] as const
  const position = new Gauge({ name: 'agora_participant_position', help: 'A DFSP\'s committed position per currency (what it owes the scheme)', labelNames, registers, collect })
  const reserved = new Gauge({ name: 'agora_participant_reserved', help: 'A DFSP\'s amount reserved by transfers not yet final, per currency', labelNames, registers, collect })
  const ndc = new Gauge({ name: 'agora_participant_net_debit_cap', help: 'A DFSP\'s net debit cap per currency', labelNames, registers, collect })
  const used = new Gauge({ name: 'agora_participant_net_debit_cap_used_ratio', help: '(position + reserved) / net debit cap: 1 means the DFSP can send no more', labelNames, registers, collect })

  async function read(): Promise<void> {
    const [lagRows, backlog, positions] = await Promise.allSettled([sources.consumerLag(), sources.backlog(), sources.positions()])
    for (const g of [lag, outbox, outboxOldest, retries, dead, position, reserved, ndc, used]) g.reset()
    if (lagRows.status === 'fulfilled') for (const r of lagRows.value) lag.set({ group: r.group, topic: r.topic, partition: String(r.partition) }, r.lag)
    else log.warn({ err: lagRows.reason }, 'metrics: consumer lag not read')
    if (backlog.status === 'fulfilled') {
      outbox.set(backlog.value.outboxUnpublished)
      outboxOldest.set(backlog.value.outboxOldest_s)
      retries.set(backlog.value.callbackRetriesWaiting)
      dead.set(backlog.value.deadLetters)
    } else log.warn({ err: backlog.reason }, 'metrics: pipeline backlog not read')
    if (positions.status === 'fulfilled') {
      for (const p of positions.value) {
        const labels = { participant: p.participant, currency: p.currency }
        position.set(labels, p.position)
        reserved.set(labels, p.reserved)
        if (p.netDebitCap !== undefined) {
          ndc.set(labels, p.netDebitCap)
          if (p.netDebitCap > 0) used.set(labels, (p.position + p.reserved) / p.netDebitCap)
        }
      }
    } else log.warn({ err: positions.reason }, 'metrics: positions not read')
  }
}
