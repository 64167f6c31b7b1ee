// The bodies the MMP platform sends, read into what the connector core pays with: the Transaction Object
// (POST /transactions/type/transfer) and the Quotation Object (POST /quotations). Each check refuses with
// the GSMA error for it; nothing is recorded or sent before the whole request passed.
import type { PaymentRequest } from '../connector-core/payer.ts'
import { fspiopAmountOf } from './gsma-amount.ts'
import { GsmaError } from './gsma-errors.ts'
import { fspiopPartyOf, type AccountIdentifier } from './gsma-identifiers.ts'

/** String fields default to 256 characters at most (API Service Definition). */
export const STRING_CHARS_MAX = 256
/** FSPIOP's note is 128 characters: a longer descriptionText is cut for the scheme, kept whole for the client. */
const NOTE_CHARS_MAX = 128

type Body = Record<string, unknown>

export interface TransferCommand {
  payment: PaymentRequest
  /** internationalTransferInformation.quotationReference: pay a quotation this connector made. */
  quotationReference?: string
}

export function bodyOf(value: unknown): Body {
  if (!value || typeof value !== 'object' || Array.isArray(value)) throw new GsmaError('validation/formatError', 'the request body must be a JSON object')
  return value as Body
}

function mandatory(body: Body, field: string): unknown {
  const value = body[field]
  if (value === undefined || value === null || value === '') throw new GsmaError('validation/mandatoryValueNotSupplied', `${field} is required`, [{ key: 'field', value: field }])
  return value
}

function optionalText(body: Body, field: string): string | undefined {
  const value = body[field]
  if (value === undefined) return undefined
  if (typeof value !== 'string') throw new GsmaError('validation/formatError', `${field} must be a string`, [{ key: 'field', value: field }])
  if (value.length > STRING_CHARS_MAX) throw new GsmaError('validation/lengthError', `${field} is longer than ${STRING_CHARS_MAX} characters`, [{ key: 'field', value: field }])
  return value
}

export function identifiersAt(body: Body, field: string): AccountIdentifier[] {
  const value = mandatory(body, field)
  if (!Array.isArray(value)) throw new GsmaError('validation/formatError', `${field} must be an array of key/value pairs`, [{ key: 'field', value: field }])
  return value.map((item: unknown) => {
    const pair = item as Partial<AccountIdentifier> | null
    if (typeof pair?.key !== 'string' || typeof pair.value !== 'string' || pair.value === '') throw new GsmaError('validation/formatError', `${field} items are {key, value} strings`, [{ key: 'field', value: field }])
    if (pair.value.length > STRING_CHARS_MAX) throw new GsmaError('validation/lengthError', `a ${field} value is longer than ${STRING_CHARS_MAX} characters`, [{ key: 'field', value: field }])
    return { key: pair.key, value: pair.value }
  })
}

function checkType(body: Body): void {
  const type = body.type
  if (type !== undefined && type !== 'transfer') throw new GsmaError('businessRule/transactionTypeError', `only transfer transactions are supported here, not ${String(type)}`, [{ key: 'type', value: String(type) }])
}

function paymentOf(body: Body, amountField: string, currencyField: string, transferId: string): PaymentRequest {
  const currency = mandatory(body, currencyField)
  const amount = fspiopAmountOf(mandatory(body, amountField), currency, amountField)
  const from = fspiopPartyOf(identifiersAt(body, 'debitParty'), 'debitParty')
  const to = fspiopPartyOf(identifiersAt(body, 'creditParty'), 'creditParty')
  if (from.idType === to.idType && from.idValue === to.idValue) throw new GsmaError('businessRule/samePartiesError', 'the debit and credit parties are the same')
  const description = optionalText(body, 'descriptionText')
  const reference = optionalText(body, 'requestingOrganisationTransactionReference')
  optionalText(body, 'requestDate')
  return {
    transferId, from, to, amountType: 'SEND', amount, currency: currency as string,
    ...(description ? { note: description.slice(0, NOTE_CHARS_MAX) } : {}),
    ...(reference ? { homeTransactionId: reference.slice(0, 128) } : {}),
  }
}

export function transferCommandOf(raw: unknown, transferId: string): TransferCommand {
  const body = bodyOf(raw)
  checkType(body)
  const payment = paymentOf(body, 'amount', 'currency', transferId)
  const info = body.internationalTransferInformation
  const quotationReference = info && typeof info === 'object' ? (info as Body).quotationReference : undefined
  if (quotationReference !== undefined && typeof quotationReference !== 'string') throw new GsmaError('validation/formatError', 'quotationReference must be a string')
  return { payment, ...(quotationReference ? { quotationReference } : {}) }
}

/** A quotation is a payment that stops at its quote (the connector core waits for the quote's acceptance). */
export function quotationPaymentOf(raw: unknown, transferId: string): PaymentRequest {
  const body = bodyOf(raw)
  checkType(body)
  return { ...paymentOf(body, 'requestAmount', 'requestCurrency', transferId), autoAcceptParty: true, autoAcceptQuote: false }
}
