import { test } from 'node:test'
import assert from 'node:assert/strict'
import { callbackUrlOf, checkXDate, correlationIdOf, httpDate } from './gsma-headers.ts'
import { GsmaError } from './gsma-errors.ts'

const keyOf = (work: () => unknown) => {
  try { work() } catch (error) { if (error instanceof GsmaError) return error.key; throw error }
  return 'ok'
}

test('X-CorrelationID is a UUID (Client Correlation ID): missing is mandatoryValueNotSupplied, another shape a formatError', () => {
  assert.equal(correlationIdOf({ 'x-correlationid': 'A1B2C3D4-0000-4000-8000-000000000001' }), 'a1b2c3d4-0000-4000-8000-000000000001')
  assert.equal(keyOf(() => correlationIdOf({})), 'validation/mandatoryValueNotSupplied')
  assert.equal(keyOf(() => correlationIdOf({ 'x-correlationid': 'abc' })), 'validation/formatError')
})

test('X-Callback-URL must be an absolute http(s) URL', () => {
  assert.equal(callbackUrlOf({ 'x-callback-url': 'https://mmp.example/callbacks/1' }), 'https://mmp.example/callbacks/1')
  assert.equal(keyOf(() => callbackUrlOf({})), 'validation/mandatoryValueNotSupplied')
  assert.equal(keyOf(() => callbackUrlOf({ 'x-callback-url': '/relative' })), 'validation/formatError')
  assert.equal(keyOf(() => callbackUrlOf({ 'x-callback-url': 'ftp://mmp.example/x' })), 'validation/formatError')
})

test('X-Date is optional and, when sent, a date-time (the v1.2 OpenAPI `format: date-time`) or an RFC 7231 HTTP-date', () => {
  assert.equal(keyOf(() => checkXDate({})), 'ok')
  assert.equal(keyOf(() => checkXDate({ 'x-date': 'Tue, 15 Nov 1994 08:12:31 GMT' })), 'ok')
  assert.equal(keyOf(() => checkXDate({ 'x-date': '2026-12-02T10:00:00Z' })), 'ok')
  assert.equal(keyOf(() => checkXDate({ 'x-date': '2026-12-02T10:00:00.123+03:00' })), 'ok')
  assert.equal(keyOf(() => checkXDate({ 'x-date': '2026-12-02' })), 'validation/formatError')
  assert.equal(keyOf(() => checkXDate({ 'x-date': '2026-13-45T99:00:00Z' })), 'validation/formatError')
  assert.equal(keyOf(() => checkXDate({ 'x-date': 'yesterday' })), 'validation/formatError')
  assert.match(httpDate(new Date('2026-12-02T10:00:00Z')), /^Wed, 02 Dec 2026 10:00:00 GMT$/)
})
