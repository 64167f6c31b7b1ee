// FSPIOP bulk transfers as the pipeline carries them: a bulk prepare on the prepare topic and the payee's
// answer on the position topic, both keyed by the payer's POSITION account (one consumer owns every
// reservation of the bulk), and the callbacks of the bulk flow.
import { FspiopError, type ErrorInformation, type ExtensionList, type FspiopErrorCode } from '../fspiop/errors.ts'
import type { FspiopVersion } from '../fspiop/headers.ts'
import type { Notification, PrepareEnvelope } from '../pipeline/messages.ts'

/** Mojaloop's limit on the items of one bulk (the API definition's maxItems). */
export const BULK_ITEMS_MAX = 1000

export interface IndividualTransfer {
  transferId: string
  transferAmount: { amount: string; currency: string }
  ilpPacket: string
  condition: string
  extensionList?: ExtensionList
}

export interface BulkTransferPrepareBody {
  bulkTransferId: string
  bulkQuoteId: string
  payerFsp: string
  payeeFsp: string
  individualTransfers: IndividualTransfer[]
  expiration: string
  extensionList?: ExtensionList
}

export interface IndividualTransferResult {
  transferId: string
  fulfilment?: string
  errorInformation?: ErrorInformation
  extensionList?: ExtensionList
}

export type BulkTransferState = 'RECEIVED' | 'PENDING' | 'ACCEPTED' | 'PROCESSING' | 'COMPLETED' | 'REJECTED'

export interface BulkTransferAnswerBody {
  completedTimestamp?: string
  individualTransferResults?: IndividualTransferResult[]
  bulkTransferState: BulkTransferState
  extensionList?: ExtensionList
}

export interface BulkPrepareMessage extends PrepareEnvelope {
  kind: 'bulk-prepare'
  bulkTransferId: string
  body: BulkTransferPrepareBody
  /** 'switch': sent by BulkPayments on the payer's behalf: the result stays in the database. */
  origin: 'fspiop' | 'switch'
}

export type BulkAnswerMessage =
  | { kind: 'bulk-fulfil'; bulkTransferId: string; source: string; version: FspiopVersion; hash: string; body: BulkTransferAnswerBody; payerAccountId: number }
  | { kind: 'bulk-error'; bulkTransferId: string; source: string; version: FspiopVersion; hash: string; body: { errorInformation: ErrorInformation }; payerAccountId: number }

export type BulkPositionMessage = BulkPrepareMessage | BulkAnswerMessage

const RESOURCE = 'bulkTransfers'

/** The accepted items, forwarded to the payee as one POST /bulkTransfers. */
export function forwardBulkPrepare(body: BulkTransferPrepareBody, version: FspiopVersion, acceptVersion: FspiopVersion, passHeaders: Record<string, string> | undefined, hubOriginated: boolean): Notification {
  return {
    to: body.payeeFsp, endpointType: 'FSPIOP_CALLBACK_URL_BULK_TRANSFER_POST', method: 'POST', path: '/bulkTransfers', params: { id: body.bulkTransferId },
    resource: RESOURCE, version, acceptVersion, source: body.payerFsp, destination: body.payeeFsp, hubOriginated, body, reference: body.bulkTransferId,
    ...(passHeaders ? { passHeaders } : {}),
  }
}

/** PUT /bulkTransfers/{id} with the bulk's state. */
export function bulkStateCallback(source: string, to: string, id: string, version: FspiopVersion, body: BulkTransferAnswerBody, hubOriginated: boolean): Notification {
  return {
    to, endpointType: 'FSPIOP_CALLBACK_URL_BULK_TRANSFER_PUT', method: 'PUT', path: `/bulkTransfers/${id}`, params: { id },
    resource: RESOURCE, version, source, destination: to, hubOriginated, body, reference: id,
  }
}

/** PUT /bulkTransfers/{id}/error from the hub. */
export function bulkHubError(hub: string, to: string, id: string, version: FspiopVersion, code: FspiopErrorCode, detail?: string): Notification {
  return {
    to, endpointType: 'FSPIOP_CALLBACK_URL_BULK_TRANSFER_ERROR', method: 'PUT', path: `/bulkTransfers/${id}/error`, params: { id },
    resource: RESOURCE, version, source: hub, destination: to, hubOriginated: true, body: new FspiopError(code, detail).toBody(), reference: id, originatedAt_ms: Date.now(),
  }
}
