// What the core is told about a payment, in the shape of sdk-scheme-adapter's outbound transfer
// (transferId, from, to, amountType, currency, amount, currentState, getPartiesResponse, quoteResponse,
// fulfil, lastError), and the HTTP status that goes with it.
import type { PaymentRow } from '../connector-core/payment-store.ts'
import { httpStatusOfFspiopError } from '../connector-core/http-status.ts'

export function paymentView(p: PaymentRow): Record<string, unknown> {
  const r = p.request
  const view: Record<string, unknown> = {
    transferId: p.transferId, homeTransactionId: p.homeTransactionId ?? undefined, currentState: p.state,
    from: r.from, to: { ...r.to, ...(p.payeeFsp ? { fspId: p.payeeFsp } : {}), ...(p.party?.name ? { displayName: p.party.name } : {}) },
    amountType: r.amountType, currency: r.currency, amount: r.amount, ...(r.note ? { note: r.note } : {}),
  }
  if (p.party) view.getPartiesResponse = { body: { party: p.party } }
  if (p.quote) {
    const { ilpPacket: _packet, ...quote } = p.quote
    view.quoteId = p.quoteId
    view.quoteResponse = { body: quote }
  }
  if (p.state === 'COMPLETED') view.fulfil = { body: { transferState: 'COMMITTED', fulfilment: p.fulfilment, completedTimestamp: p.completedTimestamp } }
  if (p.errorCode) view.lastError = { httpStatusCode: httpStatusOfFspiopError(p.errorCode), mojaloopError: { errorInformation: { errorCode: p.errorCode, errorDescription: p.errorDescription } } }
  return view
}

/** 200 for an answer (done, aborted, or waiting for the core to accept), 202 while the switch has not decided,
 *  the error's status for a failure: the body then is {statusCode, message, transferState}. */
export function paymentAnswer(p: PaymentRow): { status: number; body: Record<string, unknown> } {
  if (p.state === 'ERROR_OCCURRED') {
    return { status: httpStatusOfFspiopError(p.errorCode ?? '2001'), body: { statusCode: p.errorCode, message: p.errorDescription, transferState: paymentView(p) } }
  }
  const pending = p.state === 'PAYEE_LOOKUP' || p.state === 'QUOTE_REQUESTED' || p.state === 'TRANSFER_SENT'
  return { status: pending ? 202 : 200, body: paymentView(p) }
}
