// Closes the open settlement window on a schedule (AGORA_WINDOW_CLOSE_INTERVAL_S). Replicas may all run
// it: the close takes the window's row lock and only an OPEN window older than the interval is closed.
import type { Db } from '../../ledger/store/db.ts'
import type { Logger } from '../observability/logger.ts'
import { closeWindow } from '../../ledger/store/settlement-windows-admin.ts'
import { recordAudit } from '../../ledger/store/audit.ts'

export function startWindowSchedule(deps: { db: Db; log: Logger; interval_ms: number }): { closeDue(): Promise<string | undefined>; stop(): void } {
  async function closeDue(): Promise<string | undefined> {
    return deps.db.transaction(async (trx) => {
      const open = await trx('settlement_window').where({ state: 'OPEN' })
        .andWhere('created_at', '<=', trx.raw('NOW(3) - INTERVAL ? MICROSECOND', [deps.interval_ms * 1000])).first()
      if (!open) return undefined
      const result = await closeWindow(trx, String(open.id), 'closed on schedule')
      if (!result.ok) return undefined
      await recordAudit(trx, { actor: 'schedule', action: 'settlementWindow.close', target: String(open.id), detail: { interval_ms: deps.interval_ms } })
      return result.nextId
    })
  }
  const timer = setInterval(() => {
    closeDue().catch((error) => deps.log.error({ err: error }, 'scheduled window close failed'))
  }, Math.max(1_000, Math.floor(deps.interval_ms / 10)))
  return { closeDue, stop: () => clearInterval(timer) }
}
