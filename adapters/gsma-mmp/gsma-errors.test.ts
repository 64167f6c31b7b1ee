import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ALL_GSMA_ERROR_KEYS, GsmaError, HTTP_STATUS_OF_CATEGORY } from './gsma-errors.ts'

test('the connector carries 35 harmonised error codes in six categories (API Error Codes, and of v1.2’s additions transactionTypeError, quoteHasExpired, invalidOffset, servicingPartyAuthorisationError)', () => {
  assert.equal(ALL_GSMA_ERROR_KEYS.length, 35)
  for (const key of ['businessRule/transactionTypeError', 'businessRule/quoteHasExpired', 'validation/invalidOffset', 'authorisation/servicingPartyAuthorisationError']) assert.ok(ALL_GSMA_ERROR_KEYS.includes(key as never), key)
  assert.deepEqual(Object.keys(HTTP_STATUS_OF_CATEGORY), ['businessRule', 'validation', 'authorisation', 'identification', 'internal', 'serviceUnavailable'])
})

test('the HTTP status follows the error category: businessRule and validation 400, authorisation 401, identification 404, internal 500, serviceUnavailable 503', () => {
  const status = (key: ConstructorParameters<typeof GsmaError>[0]) => new GsmaError(key).httpStatus
  assert.equal(status('businessRule/duplicateRequest'), 400)
  assert.equal(status('validation/formatError'), 400)
  assert.equal(status('authorisation/requestDeclined'), 401)
  assert.equal(status('identification/identifierError'), 404)
  assert.equal(status('internal/genericError'), 500)
  assert.equal(status('serviceUnavailable/genericError'), 503)
})

test('the errors object carries errorCategory, errorCode, errorDescription, errorDateTime and key/value errorParameters', () => {
  const body = new GsmaError('validation/mandatoryValueNotSupplied', 'X-CorrelationID is required', [{ key: 'header', value: 'X-CorrelationID' }]).toBody(new Date('2026-01-02T03:04:05Z'))
  assert.deepEqual(body, {
    errorCategory: 'validation', errorCode: 'mandatoryValueNotSupplied', errorDescription: 'X-CorrelationID is required',
    errorDateTime: '2026-01-02T03:04:05.000Z', errorParameters: [{ key: 'header', value: 'X-CorrelationID' }],
  })
  assert.equal(new GsmaError('identification/identifierError').toBody().errorDescription, 'The requested resource could not be matched on the system with the supplied identifier(s)')
})

test('error parameters are limited to 20 key/value pairs (Error Parameters Object)', () => {
  const many = Array.from({ length: 25 }, (_, i) => ({ key: `k${i}`, value: 'v' }))
  assert.equal(new GsmaError('validation/genericError', undefined, many).toBody().errorParameters!.length, 20)
})

test('an error object another provider sent is read back; a body that is not one is not an error', () => {
  const read = GsmaError.fromBody({ errorCategory: 'businessRule', errorCode: 'insufficientFunds', errorDescription: 'no money' })
  assert.equal(read?.key, 'businessRule/insufficientFunds')
  assert.equal(read?.detail, 'no money')
  assert.equal(GsmaError.fromBody({ errorCategory: 'businessRule', errorCode: 'noSuchCode' }), undefined)
  assert.equal(GsmaError.fromBody({ transactionStatus: 'completed' }), undefined)
})
