// The MMP platform's batches ("Bulk Disbursement": POST /batchtransactions, GET /batchtransactions/{id},
// .../completions, .../rejections): the batch is checked whole in the connector, recorded by its
// X-CorrelationID (a repeat is a duplicateRequest and pays nothing), handed to the switch's disbursement API
// under the batch id this connector issues, and answered 202 with a pending request state. The switch pays
// it; reads are the switch's state in the GSMA shapes; once the disbursement is COMPLETED the Batch
// Transaction object is PUT to the X-Callback-URL. A sweep submits a batch a stop cut short (the switch is
// idempotent per Disbursement-Id) and delivers the callbacks owed: the database says what is owed.
import { randomUUID } from 'node:crypto'
import { request } from 'undici'
import type { Logger } from 'pino'
import { CALLBACK_ATTEMPTS_MAX, CALLBACK_RETRY_FIRST_MS, CALLBACK_RETRY_MAX_MS, CALLBACK_TIMEOUT_MS } from './callback-delivery.ts'
import type { DisbursementClient, DisbursementStatus } from './disbursement-client.ts'
import { batchOf } from './gsma-batch-requests.ts'
import type { BatchStore, GsmaBatchRow } from './gsma-batch-store.ts'
import { GsmaError } from './gsma-errors.ts'
import { callbackUrlOf, checkXDate, correlationIdOf, httpDate, type Headers } from './gsma-headers.ts'

/** How often a batch not yet completed is asked about again. */
export const BATCH_POLL_INTERVAL_MS = 1_000
export const BATCH_SWEEP_INTERVAL_MS = 500
/** A new batch is the request's to submit for this long before a sweep takes it (a stop in between). */
export const BATCH_SUBMIT_GRACE_MS = 30_000

export function createGsmaBatches(deps: { batches: BatchStore; disbursements: DisbursementClient; logger: Logger }) {
  const { batches, disbursements, logger } = deps

  /** POST /batchtransactions */
  async function start(headers: Headers, body: unknown): Promise<Record<string, unknown>> {
    checkXDate(headers)
    const clientCorrelationId = correlationIdOf(headers)
    const callbackUrl = callbackUrlOf(headers)
    const batch = batchOf(body)
    const row = { batchId: randomUUID(), serverCorrelationId: randomUUID(), clientCorrelationId, callbackUrl, rawRequest: JSON.stringify(batch), sweepAfter: new Date(Date.now() + BATCH_SUBMIT_GRACE_MS) }
    if (!(await batches.create(row))) throw new GsmaError('businessRule/duplicateRequest', `X-CorrelationID ${clientCorrelationId} was supplied before`, [{ key: 'X-CorrelationID', value: clientCorrelationId }])
    try {
      await disbursements.submit(row.batchId, row.rawRequest)
    } catch (error) {
      // Refused (or the switch unreachable): nothing was paid; the client may send the batch again.
      await batches.remove(row.batchId)
      if (error instanceof GsmaError) throw error
      logger.warn({ err: error, batchId: row.batchId }, 'gsma: the switch could not be reached for a batch')
      throw new GsmaError('serviceUnavailable/genericError', 'the switch could not take the batch; send it again')
    }
    await batches.submitted(row.batchId, new Date())
    return { serverCorrelationId: row.serverCorrelationId, status: 'pending', notificationMethod: 'callback', objectReference: row.batchId }
  }

  async function statusOf(row: GsmaBatchRow): Promise<DisbursementStatus | undefined> {
    return row.submissionState === 'SUBMITTED' ? disbursements.status(row.batchId) : undefined
  }

  /** GET /requeststates/{serverCorrelationId} for a batch, or undefined when the id is not a batch's. */
  async function requestState(serverCorrelationId: string): Promise<Record<string, unknown> | undefined> {
    const row = await batches.byServerCorrelationId(serverCorrelationId)
    if (!row) return undefined
    const status = await statusOf(row)
    return { serverCorrelationId, status: status?.state === 'COMPLETED' ? 'completed' : 'pending', notificationMethod: 'callback', objectReference: row.batchId }
  }

  /** GET /batchtransactions/{batchId} */
  async function view(batchId: string): Promise<Record<string, unknown>> {
    const row = await known(batchId)
    return batchObjectOf(row, await statusOf(row))
  }

  /** GET /batchtransactions/{batchId}/completions and /rejections */
  async function reportPart(batchId: string, part: 'completions' | 'rejections'): Promise<Record<string, unknown>[]> {
    const row = await known(batchId)
    if (row.submissionState !== 'SUBMITTED') return []
    return (await disbursements.report(batchId))?.[part] ?? []
  }

  async function known(batchId: string): Promise<GsmaBatchRow> {
    const row = await batches.byBatchId(batchId)
    if (!row) throw new GsmaError('identification/identifierError', `no batch ${batchId}`, [{ key: 'providedValue', value: batchId }])
    return row
  }

  /** One sweep step for a batch: submit it if a stop cut that short, else deliver its callback once it completed. */
  async function advance(row: GsmaBatchRow): Promise<void> {
    if (row.submissionState === 'RECEIVED') {
      await disbursements.submit(row.batchId, row.rawRequest)
      await batches.submitted(row.batchId, new Date())
      return
    }
    const status = await disbursements.status(row.batchId)
    if (status?.state !== 'COMPLETED') {
      await batches.settleCallback(row.batchId, { state: 'PENDING', attempts: row.callbackAttempts, retryAt: new Date(Date.now() + BATCH_POLL_INTERVAL_MS) })
      return
    }
    const attempts = row.callbackAttempts + 1
    let failure: string
    try {
      const response = await request(row.callbackUrl, {
        method: 'PUT', body: JSON.stringify(batchObjectOf(row, status)), headersTimeout: CALLBACK_TIMEOUT_MS, bodyTimeout: CALLBACK_TIMEOUT_MS,
        headers: { 'content-type': 'application/json', accept: 'application/json', 'x-correlationid': row.clientCorrelationId, 'x-date': httpDate() },
      })
      await response.body.dump()
      if (response.statusCode >= 200 && response.statusCode < 300) {
        await batches.settleCallback(row.batchId, { state: 'DELIVERED', attempts })
        return
      }
      failure = `the client answered ${response.statusCode}`
    } catch (error) {
      failure = (error as Error).message
    }
    if (attempts >= CALLBACK_ATTEMPTS_MAX) {
      logger.error({ batchId: row.batchId, attempts, reason: failure }, 'gsma: batch callback given up')
      await batches.settleCallback(row.batchId, { state: 'DEAD', attempts, error: failure })
      return
    }
    const wait_ms = Math.min(CALLBACK_RETRY_FIRST_MS * 2 ** (attempts - 1), CALLBACK_RETRY_MAX_MS)
    await batches.settleCallback(row.batchId, { state: 'PENDING', attempts, error: failure, retryAt: new Date(Date.now() + wait_ms) })
  }

  async function sweep(): Promise<number> {
    const due = await batches.due()
    for (const row of due) await advance(row).catch((error) => logger.warn({ err: error, batchId: row.batchId }, 'gsma: batch step failed; the next sweep tries again'))
    return due.length
  }

  let sweeping = false
  const timer = setInterval(() => {
    if (sweeping) return
    sweeping = true
    sweep().catch((error) => logger.warn({ err: error }, 'gsma: batch sweep failed')).finally(() => { sweeping = false })
  }, BATCH_SWEEP_INTERVAL_MS)
  timer.unref()

  return { start, requestState, view, reportPart, sweep, stop: () => clearInterval(timer) }
}
export type GsmaBatches = ReturnType<typeof createGsmaBatches>

/** The Batch Transaction object: created until the switch pays, approved while it pays, then completed.
 *  Rejections are the transactions the switch failed or could not resolve to a payee. */
export function batchObjectOf(row: GsmaBatchRow, status: DisbursementStatus | undefined): Record<string, unknown> {
  const request = JSON.parse(row.rawRequest) as Record<string, unknown>
  const batchStatus = !status || status.state === 'RECEIVED' || status.state === 'RESOLVING' ? 'created' : status.state === 'PAYING' ? 'approved' : 'completed'
  const total = status?.total ?? (request.transactions as unknown[]).length
  return {
    batchId: row.batchId, batchStatus,
    ...(typeof request.batchTitle === 'string' ? { batchTitle: request.batchTitle } : {}),
    ...(typeof request.batchDescription === 'string' ? { batchDescription: request.batchDescription } : {}),
    ...(typeof request.scheduledStartDate === 'string' ? { scheduledStartDate: request.scheduledStartDate } : {}),
    processingFlag: status?.state === 'RESOLVING' || status?.state === 'PAYING',
    completedCount: status?.paid ?? 0, rejectionCount: (status?.failed ?? 0) + (status?.unresolved ?? 0),
    parsingSuccessCount: total - (status?.unresolved ?? 0),
    creationDate: row.createdAt.toISOString(), modificationDate: row.updatedAt.toISOString(),
  }
}
