// One structured log line per transfer state change (RECEIVED, RESERVED, COMMITTED, ABORTED, EXPIRED),
// written once the batch that made it is committed, and the final ones counted by state and error code
// (agora_transfers_finished_total). The line names the transfer, its state, error code, payer and payee
// DFSPs and currency; never amounts, parties or ILP data.
import type { Logger } from './logger.ts'
import type { Metrics } from './metrics.ts'

export interface TransferStateChanged {
  transferId: string
  state: string
  /** COMMITTED, ABORTED or EXPIRED: the transfer changes no more. */
  final: boolean
  /** The FSPIOP error code of an ABORTED or EXPIRED transfer. */
  errorCode: string | null
  payerFsp: string
  payeeFsp: string
  currency: string
}

export const TRANSFER_STATE_MESSAGE = 'transfer state changed'

export function transferStateRecorder(log: Logger, metrics?: Metrics): (changes: readonly TransferStateChanged[]) => void {
  return (changes) => {
    for (const c of changes) {
      log.info({ event: 'transfer.state', transferId: c.transferId, state: c.state, errorCode: c.errorCode, payerFsp: c.payerFsp, payeeFsp: c.payeeFsp, currency: c.currency }, TRANSFER_STATE_MESSAGE)
      if (c.final) metrics?.transfersFinished.inc({ state: c.state, error_code: c.errorCode ?? 'none' })
    }
  }
}
