import { test } from 'node:test'
import assert from 'node:assert/strict'
import { quotationPaymentOf, transferCommandOf } from './gsma-requests.ts'
import { GsmaError } from './gsma-errors.ts'

const ID = '0c0e5e2c-2a83-4c0c-9d1e-5ad3b0f4c001'
const transfer = { amount: '100.50', currency: 'USD', debitParty: [{ key: 'msisdn', value: '+255711000001' }], creditParty: [{ key: 'msisdn', value: '+255722000002' }] }
const keyOf = (work: () => unknown) => {
  try { work() } catch (error) { if (error instanceof GsmaError) return error.key; throw error }
  return 'ok'
}

test('a transfer transaction becomes a SEND payment from the debit party to the credit party, in FSPIOP amounts', () => {
  const command = transferCommandOf({ ...transfer, descriptionText: 'rent', requestingOrganisationTransactionReference: 'mmp-ref-1' }, ID)
  assert.deepEqual(command.payment, {
    transferId: ID, from: { idType: 'MSISDN', idValue: '255711000001' }, to: { idType: 'MSISDN', idValue: '255722000002' },
    amountType: 'SEND', amount: '100.5', currency: 'USD', note: 'rent', homeTransactionId: 'mmp-ref-1',
  })
})

test('amount, currency, debitParty and creditParty are mandatory (mandatoryValueNotSupplied)', () => {
  for (const field of ['amount', 'currency', 'debitParty', 'creditParty']) {
    const { [field as keyof typeof transfer]: _gone, ...rest } = transfer
    assert.equal(keyOf(() => transferCommandOf(rest, ID)), 'validation/mandatoryValueNotSupplied', field)
  }
})

test('a body that is not an object, a party that is not key/value pairs, a text over 256 characters are refused', () => {
  assert.equal(keyOf(() => transferCommandOf([1], ID)), 'validation/formatError')
  assert.equal(keyOf(() => transferCommandOf({ ...transfer, creditParty: 'x' }, ID)), 'validation/formatError')
  assert.equal(keyOf(() => transferCommandOf({ ...transfer, descriptionText: 'x'.repeat(257) }, ID)), 'validation/lengthError')
})

test('the same debit and credit party is a samePartiesError; another type than transfer is v1.2’s transactionTypeError', () => {
  assert.equal(keyOf(() => transferCommandOf({ ...transfer, creditParty: transfer.debitParty }, ID)), 'businessRule/samePartiesError')
  assert.equal(keyOf(() => transferCommandOf({ ...transfer, type: 'merchantpay' }, ID)), 'businessRule/transactionTypeError')
})

test('a quotation request is a payment that waits at its quote; its quotationReference is read from internationalTransferInformation', () => {
  const quote = quotationPaymentOf({ requestAmount: '10', requestCurrency: 'USD', debitParty: transfer.debitParty, creditParty: transfer.creditParty }, ID)
  assert.equal(quote.autoAcceptQuote, false)
  assert.equal(quote.amount, '10')
  assert.equal(transferCommandOf({ ...transfer, internationalTransferInformation: { originCountry: 'TZ', quotationReference: 'q-1' } }, ID).quotationReference, 'q-1')
})
