// Closes the open settlement window on a schedule (AGORA_WINDOW_CLOSE_INTERVAL_S). Replicas may all run
// it: the close takes the window's row lock and only an OPEN window older than the interval is closed.
import type { Ledger } from '../../ledger/ledger-port.ts'
import type { Logger } from '../observability/logger.ts'

export function startWindowSchedule(deps: { ledger: Ledger; log: Logger; interval_ms: number }): { closeDue(): Promise<string | undefined>; stop(): void } {
  async function closeDue(): Promise<string | undefined> {
    return deps.ledger.transaction(async (tx) => {
      const open = await tx.openWindowDueForClose(deps.interval_ms)
      if (open === undefined) return undefined
      const result = await tx.closeWindow(open, 'closed on schedule')
      if (!result.ok) return undefined
      await tx.recordAudit({ actor: 'schedule', action: 'settlementWindow.close', target: open, detail: { interval_ms: deps.interval_ms } })
      return result.nextId
    })
  }
  const timer = setInterval(() => {
    closeDue().catch((error) => deps.log.error({ err: error }, 'scheduled window close failed'))
  }, Math.max(1_000, Math.floor(deps.interval_ms / 10)))
  return { closeDue, stop: () => clearInterval(timer) }
}
