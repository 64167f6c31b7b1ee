import { test } from 'node:test'
import assert from 'node:assert/strict'
import sdk from '@mojaloop/sdk-standard-components'
import { ERRORS, FspiopError, httpStatusFor } from './errors.ts'

test('an FSPIOP error has the errorInformation body with code and description', () => {
  const error = new FspiopError('3208', 'transfer 1234 is unknown')
  assert.deepEqual(error.toBody(), {
    errorInformation: { errorCode: '3208', errorDescription: 'Transfer ID not found - transfer 1234 is unknown' },
  })
  assert.equal(error.httpStatus, 404)
})

test('every code has the description of Mojaloop\'s error enum (central-services-error-handling), and no other', () => {
  const mojaloop = Object.values(sdk.Errors.MojaloopApiErrorCodes)
    .filter((e) => !(e.code === '3000' && e.message !== 'Generic client error')) // METHOD_NOT_ALLOWED shares 3000
  assert.deepEqual(Object.fromEntries(mojaloop.map((e) => [e.code, e.message])), { ...ERRORS })
})

test('an error without detail carries the bare description, as Mojaloop sends 3106 "Modified request"', () => {
  assert.deepEqual(new FspiopError('3106').toBody(), { errorInformation: { errorCode: '3106', errorDescription: 'Modified request' } })
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
