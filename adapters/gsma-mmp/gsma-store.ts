// The rows behind the GSMA API's idempotency, request states and callbacks (gsma_requests), and the payee
// half's credits at the MMP (gsma_payee_credits). Every change is a conditional UPDATE, so the first flow,
// a sweep and a restart racing each other move a row once.
import type { Db } from '../../ledger/store/db.ts'

export type RequestKind = 'transfer' | 'quotation'
export type CallbackState = 'PENDING' | 'DELIVERED' | 'DEAD'

export interface GsmaRequestRow {
  serverCorrelationId: string
  clientCorrelationId: string
  kind: RequestKind
  objectReference: string
  transferId: string
  callbackUrl: string
  request: Record<string, unknown>
  callbackState: CallbackState
  callbackAttempts: number
  callbackError: string | null
  createdAt: Date
  updatedAt: Date
}

type DbRow = Record<string, unknown>
const isDuplicateKey = (error: unknown) => (error as { code?: string }).code === 'ER_DUP_ENTRY'

function fromRow(row: DbRow): GsmaRequestRow {
  return {
    serverCorrelationId: String(row.server_correlation_id), clientCorrelationId: String(row.client_correlation_id), kind: row.kind as RequestKind,
    objectReference: String(row.object_reference), transferId: String(row.transfer_id), callbackUrl: String(row.callback_url),
    request: JSON.parse(String(row.request)) as Record<string, unknown>, callbackState: row.callback_state as CallbackState,
    callbackAttempts: Number(row.callback_attempts), callbackError: (row.callback_error as string | null) ?? null,
    createdAt: new Date(row.created_at as Date), updatedAt: new Date(row.updated_at as Date),
  }
}

/** Rows one sweep takes at most; the next sweep takes the rest. */
export const SWEEP_ROWS_MAX = 200

export function createRequestStore(db: Db) {
  const table = () => db('gsma_requests')
  const one = async (where: DbRow) => { const row = await table().where(where).first(); return row ? fromRow(row) : undefined }
  return {
    /** False when the client's X-CorrelationID was seen before (the request is a duplicate). */
    async create(r: Pick<GsmaRequestRow, 'serverCorrelationId' | 'clientCorrelationId' | 'kind' | 'objectReference' | 'transferId' | 'callbackUrl' | 'request'>): Promise<boolean> {
      try {
        await table().insert({
          server_correlation_id: r.serverCorrelationId, client_correlation_id: r.clientCorrelationId, kind: r.kind, object_reference: r.objectReference,
          transfer_id: r.transferId, callback_url: r.callbackUrl, request: JSON.stringify(r.request), callback_state: 'PENDING',
        })
        return true
      } catch (error) {
        if (isDuplicateKey(error)) return false
        throw error
      }
    },
    byServerCorrelationId: (id: string) => one({ server_correlation_id: id }),
    byClientCorrelationId: (id: string) => one({ client_correlation_id: id }),
    byObjectReference: (kind: RequestKind, reference: string) => one({ kind, object_reference: reference }),

    /** Owed callbacks whose next try is due and whose payment has an answer for the client. */
    async due(finalStates: readonly string[], quotedStates: readonly string[]): Promise<GsmaRequestRow[]> {
      const rows = await table().join('outbound_payments', 'outbound_payments.transfer_id', 'gsma_requests.transfer_id')
        .where('gsma_requests.callback_state', 'PENDING').where('gsma_requests.next_callback_at', '<=', db.raw('CURRENT_TIMESTAMP(3)'))
        .where((q) => q.where((k) => k.where('gsma_requests.kind', 'transfer').whereIn('outbound_payments.state', finalStates))
          .orWhere((k) => k.where('gsma_requests.kind', 'quotation').whereIn('outbound_payments.state', quotedStates)))
        .select('gsma_requests.*').orderBy('gsma_requests.next_callback_at').limit(SWEEP_ROWS_MAX)
      return rows.map(fromRow)
    },

    /** Requests recorded whose payment was never started (a stop between the two). */
    async withoutPayment(): Promise<GsmaRequestRow[]> {
      const rows = await table().leftJoin('outbound_payments', 'outbound_payments.transfer_id', 'gsma_requests.transfer_id')
        .where('gsma_requests.callback_state', 'PENDING').whereNull('outbound_payments.transfer_id').select('gsma_requests.*').limit(SWEEP_ROWS_MAX)
      return rows.map(fromRow)
    },

    /** Takes the next try of a callback for `lease_ms`; false when another sender has it. */
    async claim(serverCorrelationId: string, lease_ms: number): Promise<boolean> {
      const updated = await table().where({ server_correlation_id: serverCorrelationId, callback_state: 'PENDING' }).where('next_callback_at', '<=', db.raw('CURRENT_TIMESTAMP(3)'))
        .update({ next_callback_at: new Date(Date.now() + lease_ms), updated_at: db.raw('CURRENT_TIMESTAMP(3)') })
      return updated === 1
    },

    async settleCallback(serverCorrelationId: string, patch: { state: CallbackState; attempts: number; error?: string; retryAt?: Date }): Promise<void> {
      await table().where({ server_correlation_id: serverCorrelationId, callback_state: 'PENDING' }).update({
        callback_state: patch.state, callback_attempts: patch.attempts, callback_error: patch.error?.slice(0, 256) ?? null,
        ...(patch.retryAt ? { next_callback_at: patch.retryAt } : {}), updated_at: db.raw('CURRENT_TIMESTAMP(3)'),
      })
    },
  }
}
export type RequestStore = ReturnType<typeof createRequestStore>

// ---- payee side ----

export type CreditState = 'POSTED' | 'COMPLETED' | 'FAILED' | 'ABANDONED' | 'REVERSAL_REQUESTED' | 'COMMITTED'

export interface CreditRow {
  transferId: string
  correlationId: string
  state: CreditState
  serverCorrelationId: string | null
  mmpTransactionReference: string | null
  error: string | null
}

export function createCreditStore(db: Db) {
  const table = () => db('gsma_payee_credits')
  return {
    /** The credit's row, created POSTED the first time (a repeat keeps the first correlation id). */
    async open(transferId: string, correlationId: string): Promise<CreditRow> {
      try {
        await table().insert({ transfer_id: transferId, correlation_id: correlationId, state: 'POSTED' })
      } catch (error) {
        if (!isDuplicateKey(error)) throw error
      }
      return (await this.get(transferId))!
    },
    async get(transferId: string): Promise<CreditRow | undefined> {
      const row = await table().where({ transfer_id: transferId }).first()
      if (!row) return undefined
      return {
        transferId: row.transfer_id, correlationId: row.correlation_id, state: row.state, serverCorrelationId: row.server_correlation_id,
        mmpTransactionReference: row.mmp_transaction_reference, error: row.error,
      }
    },
    async move(transferId: string, from: readonly CreditState[], patch: Partial<Omit<CreditRow, 'transferId' | 'correlationId'>>): Promise<boolean> {
      const row: DbRow = { updated_at: db.raw('CURRENT_TIMESTAMP(3)') }
      if (patch.state) row.state = patch.state
      if (patch.serverCorrelationId !== undefined) row.server_correlation_id = patch.serverCorrelationId
      if (patch.mmpTransactionReference !== undefined) row.mmp_transaction_reference = patch.mmpTransactionReference
      if (patch.error !== undefined) row.error = patch.error?.slice(0, 256) ?? null
      return (await table().where({ transfer_id: transferId }).whereIn('state', from).update(row)) === 1
    },
  }
}
export type CreditStore = ReturnType<typeof createCreditStore>
