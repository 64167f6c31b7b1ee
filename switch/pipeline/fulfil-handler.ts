// The fulfil handler: fulfils, rejects and errors from payees arrive keyed by transfer id; this finds
// each transfer's payer account and passes the message on to the position topic keyed by it, so the one
// consumer that owns the payer's position decides. Unknown transfers get 3208 back. It changes nothing
// itself, so it runs without a transaction; a message passed on twice is a duplicate the position
// handler recognises (same fulfil hash).
import type { StatelessBatchHandler } from './batch-consumer.ts'
import { TOPICS, type FulfilMessage, type PositionMessage } from './messages.ts'
import { asOutbox, hubError } from '../transfers/transfer-notifications.ts'
import type { OutboxMessage } from '../../ledger/store/outbox.ts'

export function fulfilHandler(deps: { hubName: string; topic: (name: string) => string }): StatelessBatchHandler<FulfilMessage> {
  return {
    stateless: true,
    async route(db, messages) {
      const ids = [...new Set(messages.map((m) => m.value.transferId))]
      const rows = await db('transfer').whereIn('id', ids).select('id', 'payer_account_id')
      const payerAccount = new Map(rows.map((r: any) => [r.id as string, r.payer_account_id as number]))
      const out: OutboxMessage[] = []
      for (const { value: m } of messages) {
        const payerAccountId = payerAccount.get(m.transferId)
        if (payerAccountId === undefined) {
          out.push(asOutbox(deps.topic, hubError(deps.hubName, m.source, m.transferId, m.version, '3208')))
          continue
        }
        const next: PositionMessage = { ...m, payerAccountId }
        out.push({ topic: deps.topic(TOPICS.position), key: String(payerAccountId), payload: JSON.stringify(next) })
      }
      return out
    },
  }
}
