import { test } from 'node:test'
import assert from 'node:assert/strict'
import { fspiopAmountOf } from './gsma-amount.ts'
import { GsmaError } from './gsma-errors.ts'

const refusal = (amount: unknown, currency = 'USD') => {
  try {
    fspiopAmountOf(amount, currency)
  } catch (error) {
    if (error instanceof GsmaError) return error.key
    throw error
  }
  return 'accepted'
}

test('the specification’s amount validation examples: permitted values are taken, the others refused', () => {
  // API Fundamentals, "Amount Validation" (in a four-decimal currency, so only the format decides).
  const permitted = ['5', '5.0', '5.00', '5.5', '5.50', '5.5555', '555555555555555555', '0.5']
  const refused = ['5.', '5.55555', '5555555555555555555', '.5', '00.5', '00.00', '0000001.32']
  for (const a of permitted) assert.equal(refusal(a, 'CLF'), 'accepted', a)
  for (const a of refused) assert.equal(refusal(a, 'CLF'), 'validation/formatError', a)
  assert.equal(refusal('-5.5', 'CLF'), 'validation/negativeValue')
})

test('trailing zeros are permitted and dropped for FSPIOP: 5.50 USD is 5.5, 200.00 RWF is 200', () => {
  assert.equal(fspiopAmountOf('5.50', 'USD'), '5.5')
  assert.equal(fspiopAmountOf('200.00', 'RWF'), '200')
  assert.equal(fspiopAmountOf('100.25', 'USD'), '100.25')
})

test('an amount with more decimals than its currency allows is a formatError (1.001 USD, 1.5 RWF)', () => {
  assert.equal(refusal('1.001', 'USD'), 'validation/formatError')
  assert.equal(refusal('1.5', 'RWF'), 'validation/formatError')
  assert.equal(refusal('1.001', 'KWD'), 'accepted')
})

test('a currency that is not ISO 4217 is currencyNotSupported; a number instead of a string is a formatError; zero is below the minimum', () => {
  assert.equal(refusal('5', 'XYZ'), 'validation/currencyNotSupported')
  assert.equal(refusal(5), 'validation/formatError')
  assert.equal(refusal('0'), 'businessRule/lessThanTransactionMinValue')
})
