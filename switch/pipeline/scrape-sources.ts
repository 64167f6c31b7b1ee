// What the metrics scrape reads (observability/scrape-gauges.ts), from the bus and the database: each
// consumer group's lag per topic-partition through the bus port's admin, the pipeline's backlog and the
// DFSPs' positions against their net debit caps.
import { Decimal } from 'decimal.js'
import type { Db } from '../../ledger/store/db.ts'
import { readPositionGauges } from '../../ledger/store/position-gauges.ts'
import type { MessageBus } from '../bus/message-bus.ts'
import type { LagRow, ScrapeSources } from '../observability/scrape-gauges.ts'
import { readPipelineBacklog } from '../store/pipeline-backlog.ts'

export interface ConsumedTopics {
  group: string
  topics: readonly string[]
}

/** A partition the group never committed on counts its whole log as lag (nothing of it consumed yet). */
export async function consumerLag(bus: MessageBus, groups: readonly ConsumedTopics[]): Promise<LagRow[]> {
  const rows = await Promise.all(groups.map(async ({ group, topics }) => {
    const [ends, committed] = await Promise.all([bus.admin.endOffsets(topics), bus.committedOffsets(group, topics)])
    const next = new Map(committed.map((c) => [`${c.topic}/${c.partition}`, c.offset]))
    return ends.map((e) => {
      const lag = e.offset - (next.get(`${e.topic}/${e.partition}`) ?? 0n)
      return { group, topic: e.topic, partition: e.partition, lag: Number(lag > 0n ? lag : 0n) }
    })
  }))
  return rows.flat()
}

/** Money becomes a float only here, at the edge: Prometheus samples are doubles. */
const sample = (amount: string) => new Decimal(amount).toNumber()

export function scrapeSources(bus: MessageBus, db: Db, groups: () => readonly ConsumedTopics[]): ScrapeSources {
  return {
    consumerLag: () => consumerLag(bus, groups()),
    backlog: () => readPipelineBacklog(db),
    async positions() {
      return (await readPositionGauges(db)).map((r) => ({
        participant: r.participant, currency: r.currency, position: sample(r.value), reserved: sample(r.reserved),
        netDebitCap: r.netDebitCap === null ? undefined : sample(r.netDebitCap),
      }))
    },
  }
}
