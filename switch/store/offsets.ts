// Consumed Kafka offsets, stored in the same transaction as the effects of the messages (I7): a message
// whose offset is below the stored next offset has had its effect and is skipped.
import type { Knex } from 'knex'

export async function lockNextOffset(trx: Knex.Transaction, group: string, topic: string, partition: number): Promise<bigint | undefined> {
  const row = await trx('consumed_offset').where({ consumer_group: group, topic, partition }).forUpdate().first()
  return row ? BigInt(row.next_offset) : undefined
}

export async function storeNextOffset(trx: Knex.Transaction, group: string, topic: string, partition: number, next: bigint): Promise<void> {
  await trx('consumed_offset')
    .insert({ consumer_group: group, topic, partition, next_offset: next.toString() })
    .onConflict(['consumer_group', 'topic', 'partition'])
    .merge({ next_offset: next.toString(), changed_at: trx.fn.now(3) })
}
