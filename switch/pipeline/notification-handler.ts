// The notification handler: delivers the callbacks of a batch concurrently (bounded), then records the
// ones that could not be delivered (dead letters, with the reason) before the offset is committed.
// Callbacks are at-least-once: a batch delivered again after a crash sends its callbacks again.
import type { StatelessBatchHandler } from './batch-consumer.ts'
import type { Notification } from './messages.ts'
import type { CallbackSender, Delivery } from '../fspiop/callbacks.ts'
import type { Logger } from '../observability/logger.ts'

export const DELIVERIES_IN_FLIGHT_MAX = 64

export function notificationHandler(deps: { sender: CallbackSender; log: Logger }): StatelessBatchHandler<Notification> {
  return {
    stateless: true,
    async prepare(messages) {
      const results: Delivery[] = new Array(messages.length)
      let next = 0
      const worker = async () => {
        while (next < messages.length) {
          const i = next++
          results[i] = await deps.sender.deliver(messages[i]!.value)
        }
      }
      await Promise.all(Array.from({ length: Math.min(DELIVERIES_IN_FLIGHT_MAX, messages.length) }, worker))
      return results
    },
    async route(db, messages, prepared) {
      const results = prepared as Delivery[]
      const dead = messages.flatMap((m, i) => {
        const r = results[i]!
        if (r.ok) return []
        deps.log.warn({ to: m.value.to, reference: m.value.reference, reason: r.reason }, 'callback dead-lettered')
        return [{
          recipient: m.value.to, method: m.value.method, url: r.url ?? null, reference: m.value.reference ?? null,
          payload: JSON.stringify(m.value), reason: r.reason.slice(0, 512), attempts: r.attempts,
        }]
      })
      if (dead.length > 0) await db('callback_dead_letter').insert(dead)
      return []
    },
  }
}
