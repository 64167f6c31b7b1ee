// The FSPIOP callback endpoint types a DFSP registers, as Mojaloop URL templates under one base URL
// (used by demo set-up, the load tester and tests).
export const CALLBACK_ENDPOINT_TYPES = [
  'FSPIOP_CALLBACK_URL_PARTICIPANT_PUT', 'FSPIOP_CALLBACK_URL_PARTICIPANT_PUT_ERROR', 'FSPIOP_CALLBACK_URL_PARTICIPANT_BATCH_PUT',
  'FSPIOP_CALLBACK_URL_PARTICIPANT_BATCH_PUT_ERROR', 'FSPIOP_CALLBACK_URL_PARTIES_GET', 'FSPIOP_CALLBACK_URL_PARTIES_PUT',
  'FSPIOP_CALLBACK_URL_PARTIES_PUT_ERROR', 'FSPIOP_CALLBACK_URL_QUOTES', 'FSPIOP_CALLBACK_URL_TRX_REQ_SERVICE',
  'FSPIOP_CALLBACK_URL_AUTHORIZATIONS', 'FSPIOP_CALLBACK_URL_TRANSFER_POST', 'FSPIOP_CALLBACK_URL_TRANSFER_PUT',
  'FSPIOP_CALLBACK_URL_TRANSFER_ERROR', 'FSPIOP_CALLBACK_URL_BULK_QUOTES', 'FSPIOP_CALLBACK_URL_BULK_TRANSFER_POST',
  'FSPIOP_CALLBACK_URL_BULK_TRANSFER_PUT', 'FSPIOP_CALLBACK_URL_BULK_TRANSFER_ERROR',
  'FSPIOP_CALLBACK_URL_FX_QUOTES', 'FSPIOP_CALLBACK_URL_FX_TRANSFER_POST', 'FSPIOP_CALLBACK_URL_FX_TRANSFER_PUT',
  'FSPIOP_CALLBACK_URL_FX_TRANSFER_ERROR',
] as const

/** Mojaloop-style URL templates under one base URL. */
export function endpointTemplates(base: string): Record<string, string> {
  return {
    FSPIOP_CALLBACK_URL_PARTICIPANT_PUT: `${base}/participants/{{partyIdType}}/{{partyIdentifier}}`,
    FSPIOP_CALLBACK_URL_PARTICIPANT_PUT_ERROR: `${base}/participants/{{partyIdType}}/{{partyIdentifier}}/error`,
    FSPIOP_CALLBACK_URL_PARTICIPANT_BATCH_PUT: `${base}/participants/{{requestId}}`,
    FSPIOP_CALLBACK_URL_PARTICIPANT_BATCH_PUT_ERROR: `${base}/participants/{{requestId}}/error`,
    FSPIOP_CALLBACK_URL_PARTIES_GET: `${base}/parties/{{partyIdType}}/{{partyIdentifier}}`,
    FSPIOP_CALLBACK_URL_PARTIES_PUT: `${base}/parties/{{partyIdType}}/{{partyIdentifier}}`,
    FSPIOP_CALLBACK_URL_PARTIES_PUT_ERROR: `${base}/parties/{{partyIdType}}/{{partyIdentifier}}/error`,
    FSPIOP_CALLBACK_URL_QUOTES: `${base}`,
    FSPIOP_CALLBACK_URL_TRX_REQ_SERVICE: `${base}`,
    FSPIOP_CALLBACK_URL_AUTHORIZATIONS: `${base}`,
    FSPIOP_CALLBACK_URL_TRANSFER_POST: `${base}/transfers`,
    FSPIOP_CALLBACK_URL_TRANSFER_PUT: `${base}/transfers/{{transferId}}`,
    FSPIOP_CALLBACK_URL_TRANSFER_ERROR: `${base}/transfers/{{transferId}}/error`,
    FSPIOP_CALLBACK_URL_BULK_QUOTES: `${base}`,
    FSPIOP_CALLBACK_URL_BULK_TRANSFER_POST: `${base}/bulkTransfers`,
    FSPIOP_CALLBACK_URL_BULK_TRANSFER_PUT: `${base}/bulkTransfers/{{id}}`,
    FSPIOP_CALLBACK_URL_BULK_TRANSFER_ERROR: `${base}/bulkTransfers/{{id}}/error`,
    FSPIOP_CALLBACK_URL_FX_QUOTES: `${base}`,
    FSPIOP_CALLBACK_URL_FX_TRANSFER_POST: `${base}/fxTransfers`,
    FSPIOP_CALLBACK_URL_FX_TRANSFER_PUT: `${base}/fxTransfers/{{commitRequestId}}`,
    FSPIOP_CALLBACK_URL_FX_TRANSFER_ERROR: `${base}/fxTransfers/{{commitRequestId}}/error`,
  }
}
