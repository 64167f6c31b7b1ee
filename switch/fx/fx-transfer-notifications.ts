// The callbacks of a currency conversion (FSPIOP v2.0 /fxTransfers), as Notification messages for the
// notification handler: the request forwarded to the FXP, the FXP's answer forwarded to the initiating
// DFSP, the hub's errors, and the PATCH that tells the FXP its conversion was committed with the
// dependent transfer.
import { FspiopError, type ErrorInformation, type FspiopErrorCode } from '../fspiop/errors.ts'
import type { FspiopVersion } from '../fspiop/headers.ts'
import type { Notification } from '../pipeline/messages.ts'
import { fspiopTransferState } from '../../ledger/domain/transfer-state.ts'
import type { TransferRow } from '../../ledger/ledger-port.ts'
import type { FxTransferPrepareBody } from './fx-transfer-messages.ts'

const RESOURCE = 'fxTransfers'

function base(commitRequestId: string) {
  return { params: { commitRequestId }, resource: RESOURCE, reference: commitRequestId }
}

/** POST /fxTransfers to the FXP, as the initiating DFSP sent it (Content-Type, Accept, signature). */
export function forwardFxPrepare(body: FxTransferPrepareBody, version: FspiopVersion, acceptVersion: FspiopVersion, passHeaders?: Record<string, string>): Notification {
  return {
    ...base(body.commitRequestId), to: body.counterPartyFsp, endpointType: 'FSPIOP_CALLBACK_URL_FX_TRANSFER_POST', method: 'POST', path: '/fxTransfers',
    version, acceptVersion, source: body.initiatingFsp, destination: body.counterPartyFsp, hubOriginated: false, body, ...(passHeaders ? { passHeaders } : {}),
  }
}

/** PUT /fxTransfers/{id}/error, from the hub or forwarded from the FXP. */
export function fxErrorCallback(source: string, to: string, commitRequestId: string, version: FspiopVersion, errorInformation: ErrorInformation, hubOriginated: boolean, passHeaders?: Record<string, string>): Notification {
  return {
    ...base(commitRequestId), to, endpointType: 'FSPIOP_CALLBACK_URL_FX_TRANSFER_ERROR', method: 'PUT', path: `/fxTransfers/${commitRequestId}/error`,
    version, source, destination: to, hubOriginated, body: { errorInformation }, ...(passHeaders ? { passHeaders } : {}),
  }
}

/** PUT /fxTransfers/{id}/error from the hub. */
export function hubFxError(hub: string, to: string, commitRequestId: string, version: FspiopVersion, code: FspiopErrorCode, detail?: string): Notification {
  return { ...fxErrorCallback(hub, to, commitRequestId, version, new FspiopError(code, detail).toBody().errorInformation, true), originatedAt_ms: Date.now() }
}

/** PUT /fxTransfers/{id}: the FXP's answer forwarded, or the hub's resend of a state. */
export function fxStateCallback(source: string, to: string, commitRequestId: string, version: FspiopVersion, body: object, hubOriginated: boolean, passHeaders?: Record<string, string>): Notification {
  return {
    ...base(commitRequestId), to, endpointType: 'FSPIOP_CALLBACK_URL_FX_TRANSFER_PUT', method: 'PUT', path: `/fxTransfers/${commitRequestId}`,
    version, source, destination: to, hubOriginated, body, ...(passHeaders ? { passHeaders } : {}),
  }
}

/** PATCH /fxTransfers/{id} to the FXP: its conversion committed with the dependent transfer. */
export function patchFxp(hub: string, fxp: string, commitRequestId: string, version: FspiopVersion, completedTimestamp: string): Notification {
  return {
    ...base(commitRequestId), to: fxp, endpointType: 'FSPIOP_CALLBACK_URL_FX_TRANSFER_PUT', method: 'PATCH', path: `/fxTransfers/${commitRequestId}`,
    version, source: hub, destination: fxp, hubOriginated: true, body: { conversionState: 'COMMITTED', completedTimestamp },
  }
}

/** The conversion's state as PUT /fxTransfers/{id} tells it (a GET, a duplicate of a final request). */
export function fxStateBody(row: Pick<TransferRow, 'state' | 'fulfilment' | 'completed_at'>): Record<string, unknown> {
  return {
    ...(row.fulfilment ? { fulfilment: row.fulfilment } : {}),
    ...(row.completed_at ? { completedTimestamp: row.completed_at.toISOString() } : {}),
    conversionState: fspiopTransferState(row.state),
  }
}
