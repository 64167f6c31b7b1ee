import { test } from 'node:test'
import assert from 'node:assert/strict'
import { FspiopError, httpStatusFor } from './errors.ts'

test('an FSPIOP error has the errorInformation body with code and description', () => {
  const error = new FspiopError('3208', 'transfer 1234 is unknown')
  assert.deepEqual(error.toBody(), {
    errorInformation: { errorCode: '3208', errorDescription: 'Transfer ID not found - transfer 1234 is unknown' },
  })
  assert.equal(error.httpStatus, 404)
})

test('descriptions are cut to 128 characters', () => {
  assert.equal(new FspiopError('3100', 'x'.repeat(500)).description.length, 128)
})

test('client errors are 400, server errors 500, unavailability 503', () => {
  assert.equal(httpStatusFor('3100'), 400)
  assert.equal(httpStatusFor('4001'), 400)
  assert.equal(httpStatusFor('2001'), 500)
  assert.equal(httpStatusFor('2003'), 503)
  assert.equal(httpStatusFor('3001'), 406)
})
