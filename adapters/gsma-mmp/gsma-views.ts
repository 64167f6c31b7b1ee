// What the MMP platform reads: the Request State, Transaction, Quotation and Account Holder Name objects,
// drawn from the GSMA request as received and the connector core's payment. A payment's failure is the
// GSMA error its FSPIOP code maps to (error-mapping.ts).
import type { LookedUpParty } from '../connector-core/connector.ts'
import type { PaymentRow, PaymentState } from '../connector-core/payment-store.ts'
import { gsmaErrorOf } from './error-mapping.ts'
import { GsmaError, type GsmaErrorBody } from './gsma-errors.ts'
import type { GsmaRequestRow } from './gsma-store.ts'

export type RequestStatus = 'pending' | 'completed' | 'failed'

const FAILED: readonly PaymentState[] = ['ERROR_OCCURRED', 'ABORTED']
/** Payment states in which a quotation has its quote (or failed without one). */
export const QUOTED_STATES: readonly PaymentState[] = ['WAITING_FOR_QUOTE_ACCEPTANCE', 'TRANSFER_SENT', 'COMPLETED', 'ERROR_OCCURRED', 'ABORTED']
export const FINAL_STATES: readonly PaymentState[] = ['COMPLETED', 'ERROR_OCCURRED', 'ABORTED']

export function statusOf(row: GsmaRequestRow, payment: PaymentRow | undefined): RequestStatus {
  if (!payment) return 'pending'
  if (row.kind === 'quotation') return payment.quote ? 'completed' : FAILED.includes(payment.state) ? 'failed' : 'pending'
  if (payment.state === 'COMPLETED') return 'completed'
  return FAILED.includes(payment.state) ? 'failed' : 'pending'
}

export function failureOf(payment: PaymentRow): GsmaError {
  if (payment.state === 'ABORTED') return new GsmaError('authorisation/requestDeclined', 'the payment was not accepted')
  return gsmaErrorOf(payment.errorCode ?? '2001', payment.errorDescription ?? '')
}

export function requestStateOf(row: GsmaRequestRow, payment: PaymentRow | undefined): Record<string, unknown> {
  const status = statusOf(row, payment)
  return {
    serverCorrelationId: row.serverCorrelationId, objectReference: row.objectReference, status, notificationMethod: 'callback',
    ...(status === 'failed' ? { error: failureOf(payment!).toBody(row.updatedAt) } : {}),
  }
}

const TRANSACTION_STATUS: Record<RequestStatus, string> = { pending: 'pending', completed: 'completed', failed: 'failed' }

export function transactionOf(row: GsmaRequestRow, payment: PaymentRow | undefined): Record<string, unknown> {
  const r = row.request
  const copied = ['requestingOrganisationTransactionReference', 'descriptionText', 'requestDate', 'subType', 'requestingOrganisation', 'customData', 'metadata', 'internationalTransferInformation']
  return {
    transactionReference: row.objectReference,
    ...Object.fromEntries(copied.filter((k) => r[k] !== undefined).map((k) => [k, r[k]])),
    debitParty: r.debitParty, creditParty: r.creditParty, type: 'transfer',
    transactionStatus: TRANSACTION_STATUS[statusOf(row, payment)],
    amount: r.amount, currency: r.currency,
    ...(payment?.payeeFsp ? { receivingServiceProvider: payment.payeeFsp } : {}),
    creationDate: row.createdAt.toISOString(), modificationDate: (payment?.completedTimestamp ?? row.updatedAt.toISOString()),
  }
}

type Money = { amount: string; currency: string }

export function quotationOf(row: GsmaRequestRow, payment: PaymentRow | undefined): Record<string, unknown> {
  const r = row.request
  const status = statusOf(row, payment)
  const quote = payment?.quote as { transferAmount: Money; payeeReceiveAmount?: Money; payeeFspFee?: Money; expiration?: string } | null | undefined
  return {
    quotationReference: row.objectReference, debitParty: r.debitParty, creditParty: r.creditParty, type: 'transfer',
    quotationStatus: status === 'failed' ? 'rejected' : status, requestAmount: r.requestAmount, requestCurrency: r.requestCurrency,
    ...(quote ? {
      quotes: [{
        quoteId: payment!.quoteId, sendingAmount: quote.transferAmount.amount, sendingCurrency: quote.transferAmount.currency,
        receivingAmount: (quote.payeeReceiveAmount ?? quote.transferAmount).amount, receivingCurrency: (quote.payeeReceiveAmount ?? quote.transferAmount).currency,
        ...(quote.payeeFspFee ? { fees: [{ feeType: 'payeeFspFee', feeAmount: quote.payeeFspFee.amount, feeCurrency: quote.payeeFspFee.currency }] } : {}),
        ...(quote.expiration ? { quoteExpiryTime: quote.expiration } : {}),
        ...(payment!.payeeFsp ? { receivingServiceProvider: payment!.payeeFsp } : {}),
      }],
    } : {}),
    ...(r.requestDate ? { requestDate: r.requestDate } : {}),
    creationDate: row.createdAt.toISOString(), modificationDate: row.updatedAt.toISOString(),
  }
}

/** The callback a finished request is owed: the final object, or the error object for a failure. */
export function callbackBodyOf(row: GsmaRequestRow, payment: PaymentRow): Record<string, unknown> | GsmaErrorBody {
  if (statusOf(row, payment) === 'failed') return failureOf(payment).toBody()
  return row.kind === 'quotation' ? quotationOf(row, payment) : transactionOf(row, payment)
}

/** The Account Holder Name object for an FSPIOP party. */
export function accountNameOf({ party }: LookedUpParty): { name: Record<string, string> } {
  const complex = party.personalInfo?.complexName ?? {}
  const parts = { firstName: complex.firstName, middleName: complex.middleName, lastName: complex.lastName }
  const given = Object.fromEntries(Object.entries(parts).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''))
  const fullName = party.name ?? Object.values(given).join(' ')
  return { name: { ...given, ...(fullName ? { fullName } : {}) } }
}
