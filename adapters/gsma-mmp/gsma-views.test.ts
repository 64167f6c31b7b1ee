import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { PaymentRow } from '../connector-core/payment-store.ts'
import type { GsmaRequestRow } from './gsma-store.ts'
import { accountNameOf, callbackBodyOf, quotationOf, requestStateOf, statusOf } from './gsma-views.ts'

const at = new Date('2026-12-02T10:00:00Z')
const row = (kind: 'transfer' | 'quotation'): GsmaRequestRow => ({
  serverCorrelationId: 's-1', clientCorrelationId: 'c-1', kind, objectReference: 'ref-1', transferId: 't-1', callbackUrl: 'http://mmp/cb',
  request: { amount: '5.00', currency: 'USD', requestAmount: '5.00', requestCurrency: 'USD', debitParty: [{ key: 'msisdn', value: '1' }], creditParty: [{ key: 'msisdn', value: '2' }] },
  callbackState: 'PENDING', callbackAttempts: 0, callbackError: null, createdAt: at, updatedAt: at,
})
const payment = (patch: Partial<PaymentRow>): PaymentRow => ({
  transferId: 't-1', homeTransactionId: null, state: 'TRANSFER_SENT', request: {}, payeeFsp: 'mmpb', party: null, quoteId: null, quote: null,
  prepare: null, fulfilment: null, completedTimestamp: null, errorCode: null, errorDescription: null, ...patch,
})

test('the request state is pending until the payment is final, then completed or failed with the error object in `error` (v1.2 requestStateObject)', () => {
  assert.equal(statusOf(row('transfer'), undefined), 'pending')
  assert.equal(statusOf(row('transfer'), payment({})), 'pending')
  assert.equal(statusOf(row('transfer'), payment({ state: 'COMPLETED' })), 'completed')
  const failed = requestStateOf(row('transfer'), payment({ state: 'ERROR_OCCURRED', errorCode: '5104', errorDescription: 'Payee rejected transaction' }))
  assert.equal(failed.status, 'failed')
  assert.equal((failed.error as { errorCategory: string }).errorCategory, 'businessRule')
  assert.equal(failed.errorReference, undefined, 'errorReference is not a field of the v1.2 request state object')
  assert.equal(failed.notificationMethod, 'callback')
})

test('a quotation is completed once its payment holds the quote, whatever the transfer does next', () => {
  const quoted = payment({ state: 'WAITING_FOR_QUOTE_ACCEPTANCE', quoteId: 'q-1', quote: { transferAmount: { amount: '5', currency: 'USD' }, expiration: '2026-12-02T10:01:00Z' } })
  assert.equal(statusOf(row('quotation'), quoted), 'completed')
  const quotation = quotationOf(row('quotation'), quoted)
  assert.equal(quotation.quotationStatus, 'completed')
  assert.deepEqual(quotation.quotes, [{ quoteId: 'q-1', sendingAmount: '5', sendingCurrency: 'USD', receivingAmount: '5', receivingCurrency: 'USD', quoteExpiryTime: '2026-12-02T10:01:00Z', receivingServiceProvider: 'mmpb' }])
})

test('the callback of a completed transfer is the transaction object with the amount as the client wrote it; of a failed one, the error object', () => {
  const done = callbackBodyOf(row('transfer'), payment({ state: 'COMPLETED', completedTimestamp: '2026-12-02T10:00:01Z' })) as Record<string, unknown>
  assert.deepEqual([done.transactionReference, done.transactionStatus, done.amount, done.type], ['ref-1', 'completed', '5.00', 'transfer'])
  const failed = callbackBodyOf(row('transfer'), payment({ state: 'ERROR_OCCURRED', errorCode: '3204', errorDescription: 'Party not found' })) as Record<string, unknown>
  assert.deepEqual([failed.errorCategory, failed.errorCode], ['identification', 'identifierError'])
})

test('the Account Holder Name object takes the FSPIOP party’s complex name and its name as fullName', () => {
  const party = { partyIdInfo: { partyIdType: 'MSISDN', partyIdentifier: '2', fspId: 'mmpb' }, name: 'John Alan Doe', personalInfo: { complexName: { firstName: 'John', middleName: 'Alan', lastName: 'Doe' } } }
  assert.deepEqual(accountNameOf({ party }), { name: { firstName: 'John', middleName: 'Alan', lastName: 'Doe', fullName: 'John Alan Doe' } })
})
