// The callbacks of the transfer flow, as Notification messages for the notification handler.
import { FspiopError, type ErrorInformation, type FspiopErrorCode } from '../fspiop/errors.ts'
import type { FspiopVersion } from '../fspiop/headers.ts'
import { TOPICS, type Notification, type TransferPrepareBody } from '../pipeline/messages.ts'
import type { OutboxMessage } from '../store/outbox.ts'

const RESOURCE = 'transfers'

export function asOutbox(topicPrefix: (name: string) => string, n: Notification): OutboxMessage {
  return { topic: topicPrefix(TOPICS.notification), key: n.to, payload: JSON.stringify(n) }
}

/** The prepare, forwarded to the payee as the payer sent it: its Content-Type, its Accept, its signature. */
export function forwardPrepare(body: TransferPrepareBody, version: FspiopVersion, acceptVersion: FspiopVersion = version, passHeaders?: Record<string, string>): Notification {
  return {
    to: body.payeeFsp, endpointType: 'FSPIOP_CALLBACK_URL_TRANSFER_POST', method: 'POST', path: '/transfers', params: { transferId: body.transferId },
    resource: RESOURCE, version, acceptVersion, source: body.payerFsp, destination: body.payeeFsp, hubOriginated: false, body, reference: body.transferId,
    ...(passHeaders ? { passHeaders } : {}),
  }
}

/** PUT /transfers/{id}/error from the hub. */
export function hubError(hub: string, to: string, transferId: string, version: FspiopVersion, code: FspiopErrorCode, detail?: string): Notification {
  return { ...errorCallback(hub, to, transferId, version, new FspiopError(code, detail).toBody().errorInformation, true), originatedAt_ms: Date.now() }
}

/** PUT /transfers/{id}/error, from the hub or forwarded from the payee. */
export function errorCallback(source: string, to: string, transferId: string, version: FspiopVersion, errorInformation: ErrorInformation, hubOriginated: boolean, passHeaders?: Record<string, string>): Notification {
  return {
    to, endpointType: 'FSPIOP_CALLBACK_URL_TRANSFER_ERROR', method: 'PUT', path: `/transfers/${transferId}/error`, params: { transferId },
    resource: RESOURCE, version, source, destination: to, hubOriginated, body: { errorInformation }, reference: transferId, ...(passHeaders ? { passHeaders } : {}),
  }
}

/** PUT /transfers/{id} with a state (the payee's fulfil forwarded to the payer, or a resend of a final state). */
export function stateCallback(source: string, to: string, transferId: string, version: FspiopVersion, body: object, hubOriginated: boolean, passHeaders?: Record<string, string>): Notification {
  return {
    to, endpointType: 'FSPIOP_CALLBACK_URL_TRANSFER_PUT', method: 'PUT', path: `/transfers/${transferId}`, params: { transferId },
    resource: RESOURCE, version, source, destination: to, hubOriginated, body, reference: transferId, ...(passHeaders ? { passHeaders } : {}),
  }
}

/** PATCH /transfers/{id} to a payee that answered RESERVED: the final state. */
export function patchPayee(hub: string, payee: string, transferId: string, version: FspiopVersion, transferState: 'COMMITTED' | 'ABORTED', completedTimestamp: string): Notification {
  return {
    to: payee, endpointType: 'FSPIOP_CALLBACK_URL_TRANSFER_PUT', method: 'PATCH', path: `/transfers/${transferId}`, params: { transferId },
    resource: RESOURCE, version, source: hub, destination: payee, hubOriginated: true, body: { transferState, completedTimestamp }, reference: transferId,
  }
}
