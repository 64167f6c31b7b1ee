// FX quote messages: what POST /fxQuotes, PUT /fxQuotes/{ID}(/error) and GET /fxQuotes/{ID} put on the
// `quote` topic (QuoteMessage with resource 'fxQuotes', keyed by conversionRequestId) and the callbacks of
// the fxQuote flow, all to FSPIOP_CALLBACK_URL_FX_QUOTES (a base URL, as quoting-service uses it).
import type { FspiopVersion } from '../fspiop/headers.ts'
import { FspiopError, type FspiopErrorCode } from '../fspiop/errors.ts'
import { answerVersion, type Notification } from '../pipeline/messages.ts'
import type { QuoteMessage } from '../quotes/quote-messages.ts'

export const FX_QUOTES_ENDPOINT = 'FSPIOP_CALLBACK_URL_FX_QUOTES'

interface FxMoney { currency: string; amount?: string }

/** What the hub reads of a POST /fxQuotes body (FxQuotesPostRequest; the API definition makes these present). */
export interface FxQuoteRequestFields {
  conversionRequestId: string
  conversionTerms: {
    conversionId: string
    determiningTransferId?: string
    initiatingFsp: string
    counterPartyFsp: string
    amountType: string
    sourceAmount: FxMoney
    targetAmount: FxMoney
    expiration: string
  }
}

/** What the hub reads of the FXP's PUT /fxQuotes/{ID} body (FxQuotesIDPutResponse). */
export interface FxQuoteAnswerFields {
  conversionTerms: { sourceAmount: FxMoney; targetAmount: FxMoney }
}

/** The message passed on to `to` as its sender sent it (headers, signature and all). */
export function forwardFxQuote(m: QuoteMessage, to: string, method: 'POST' | 'PUT' | 'GET', path: string, body: unknown): Notification {
  return {
    to, endpointType: FX_QUOTES_ENDPOINT, method, path, params: { ID: m.quoteId }, suffix: path, resource: 'fxQuotes', version: m.version,
    acceptVersion: answerVersion(m), source: m.source, destination: to, hubOriginated: false, body, reference: m.quoteId, passHeaders: m.passHeaders,
  }
}

/** A stored answer (PUT /fxQuotes/{ID} or its error) sent again by the hub. */
export function resendFxQuote(hub: string, to: string, id: string, version: FspiopVersion, response: { error: boolean; body: unknown }): Notification {
  const path = response.error ? `/fxQuotes/${id}/error` : `/fxQuotes/${id}`
  return { to, endpointType: FX_QUOTES_ENDPOINT, method: 'PUT', path, params: { ID: id }, suffix: path, resource: 'fxQuotes', version, source: hub, destination: to, hubOriginated: true, body: response.body, reference: id }
}

export function fxQuoteError(hub: string, to: string, id: string, version: FspiopVersion, code: FspiopErrorCode, detail?: string): Notification {
  return resendFxQuote(hub, to, id, version, { error: true, body: new FspiopError(code, detail).toBody() })
}
