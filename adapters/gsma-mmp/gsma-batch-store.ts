// The rows behind the GSMA batches (gsma_batches): one per POST /batchtransactions, unique by the client's
// X-CorrelationID, with whether the switch has the batch yet and the callback owed once it completes.
// Every change is a conditional UPDATE, so a sweep and the request racing each other move a row once.
import type { Db } from '../../ledger/store/db.ts'
import type { CallbackState } from './gsma-store.ts'

export type SubmissionState = 'RECEIVED' | 'SUBMITTED'

export interface GsmaBatchRow {
  batchId: string
  serverCorrelationId: string
  clientCorrelationId: string
  callbackUrl: string
  /** The batch body as received (the exact JSON text the switch is sent). */
  rawRequest: string
  submissionState: SubmissionState
  callbackState: CallbackState
  callbackAttempts: number
  createdAt: Date
  updatedAt: Date
}

type DbRow = Record<string, unknown>
export const BATCH_SWEEP_ROWS_MAX = 50

function fromRow(row: DbRow): GsmaBatchRow {
  return {
    batchId: String(row.batch_id), serverCorrelationId: String(row.server_correlation_id), clientCorrelationId: String(row.client_correlation_id),
    callbackUrl: String(row.callback_url), rawRequest: String(row.request), submissionState: row.submission_state as SubmissionState,
    callbackState: row.callback_state as CallbackState, callbackAttempts: Number(row.callback_attempts),
    createdAt: new Date(row.created_at as Date), updatedAt: new Date(row.updated_at as Date),
  }
}

export function createBatchStore(db: Db) {
  const table = () => db('gsma_batches')
  const one = async (where: DbRow) => { const row = await table().where(where).first(); return row ? fromRow(row) : undefined }
  return {
    /** False when the client's X-CorrelationID was seen before (the batch is a duplicate). */
    async create(r: Pick<GsmaBatchRow, 'batchId' | 'serverCorrelationId' | 'clientCorrelationId' | 'callbackUrl' | 'rawRequest'> & { sweepAfter: Date }): Promise<boolean> {
      try {
        await table().insert({
          batch_id: r.batchId, server_correlation_id: r.serverCorrelationId, client_correlation_id: r.clientCorrelationId,
          callback_url: r.callbackUrl, request: r.rawRequest, submission_state: 'RECEIVED', callback_state: 'PENDING', next_callback_at: r.sweepAfter,
        })
        return true
      } catch (error) {
        if ((error as { code?: string }).code === 'ER_DUP_ENTRY') return false
        throw error
      }
    },
    byBatchId: (id: string) => one({ batch_id: id }),
    byServerCorrelationId: (id: string) => one({ server_correlation_id: id }),
    async remove(batchId: string): Promise<void> { await table().where({ batch_id: batchId, submission_state: 'RECEIVED' }).delete() },
    /** The switch has the batch; the sweep asks about it from `pollAt`. */
    async submitted(batchId: string, pollAt: Date): Promise<void> {
      await table().where({ batch_id: batchId, submission_state: 'RECEIVED' }).update({ submission_state: 'SUBMITTED', next_callback_at: pollAt, updated_at: db.raw('CURRENT_TIMESTAMP(3)') })
    },
    /** Batches whose submission or callback is still owed and due. */
    async due(): Promise<GsmaBatchRow[]> {
      const rows = await table().where('callback_state', 'PENDING').where('next_callback_at', '<=', db.raw('CURRENT_TIMESTAMP(3)'))
        .orderBy('next_callback_at').limit(BATCH_SWEEP_ROWS_MAX)
      return rows.map(fromRow)
    },
    async settleCallback(batchId: string, patch: { state: CallbackState; attempts: number; error?: string; retryAt?: Date }): Promise<void> {
      await table().where({ batch_id: batchId, callback_state: 'PENDING' }).update({
        callback_state: patch.state, callback_attempts: patch.attempts, callback_error: patch.error?.slice(0, 256) ?? null,
        ...(patch.retryAt ? { next_callback_at: patch.retryAt } : {}), updated_at: db.raw('CURRENT_TIMESTAMP(3)'),
      })
    },
  }
}
export type BatchStore = ReturnType<typeof createBatchStore>
