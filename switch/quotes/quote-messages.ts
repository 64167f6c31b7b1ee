// Quote messages on the `quote` topic (keyed by quote id) and the callbacks of the quote flow.
import type { FspiopVersion } from '../fspiop/headers.ts'
import { FspiopError, type FspiopErrorCode } from '../fspiop/errors.ts'
import { answerVersion, type Notification } from '../pipeline/messages.ts'


export interface QuoteMessage {
  kind: 'request' | 'response' | 'error' | 'get'
  quoteId: string
  source: string
  destination: string | undefined
  /** The sender's Content-Type version: a forwarded quote keeps it. */
  version: FspiopVersion
  /** The sender's Accept version: the hub answers it in this one (absent on older messages: `version`). */
  acceptVersion?: FspiopVersion
  hash: string
  /** The FSPIOP body as its sender sent it (a `request`'s is a QuoteRequestFields: the route checked it). */
  body: unknown
  passHeaders: Record<string, string>
  /** Why a quote request is refused (quoting-service's validateQuoteRequest): the error goes to the payer. */
  refusal?: { code: FspiopErrorCode; detail: string }
  /** A bulk quote (POST /bulkQuotes and its answers): the bulk quote handler's (bulk-quote-handler.ts); an FX
   *  quote (POST /fxQuotes and its answers, `quoteId` is the conversionRequestId): switch/fx/fx-quote-handler.ts. */
  resource?: 'bulkQuotes' | 'fxQuotes'
  /** Set on a bulk quote the switch asks on the payer's behalf (BulkPayments): the answer is not forwarded. */
  origin?: 'switch'
}

/** What the hub keeps of a POST /quotes body (the API definition makes these present). */
export interface QuoteRequestFields {
  transactionId: string
  amount: { amount: string; currency: string }
  amountType: string
  expiration?: string
}

const ENDPOINT = 'FSPIOP_CALLBACK_URL_QUOTES'

/** The message passed on to `to` as its sender sent it. */
export function forwardQuote(m: QuoteMessage, to: string, method: 'POST' | 'PUT' | 'GET', path: string, body: unknown): Notification {
  return {
    to, endpointType: ENDPOINT, method, path, params: { quoteId: m.quoteId }, suffix: path, resource: 'quotes', version: m.version,
    acceptVersion: answerVersion(m), source: m.source, destination: to, hubOriginated: false, body, reference: m.quoteId, passHeaders: m.passHeaders,
  }
}

/** A stored answer (PUT /quotes/{id} or its error) sent again by the hub. */
export function resendQuote(hub: string, to: string, quoteId: string, version: FspiopVersion, response: { error: boolean; body: unknown }): Notification {
  const path = response.error ? `/quotes/${quoteId}/error` : `/quotes/${quoteId}`
  return { to, endpointType: ENDPOINT, method: 'PUT', path, params: { quoteId }, suffix: path, resource: 'quotes', version, source: hub, destination: to, hubOriginated: true, body: response.body, reference: quoteId }
}

export function quoteError(hub: string, to: string, quoteId: string, version: FspiopVersion, code: FspiopErrorCode, detail?: string): Notification {
  return resendQuote(hub, to, quoteId, version, { error: true, body: new FspiopError(code, detail).toBody() })
}
