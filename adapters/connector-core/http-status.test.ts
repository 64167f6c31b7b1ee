import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ERRORS } from '../../switch/fspiop/errors.ts'
import { HTTP_STATUS_OF_FSPIOP_ERROR, httpStatusOfFspiopError } from './http-status.ts'

test('every FSPIOP error code of the specification has an HTTP status for the core, and nothing else is listed', () => {
  assert.deepEqual(Object.keys(HTTP_STATUS_OF_FSPIOP_ERROR).sort(), Object.keys(ERRORS).sort())
  for (const status of Object.values(HTTP_STATUS_OF_FSPIOP_ERROR)) assert.ok([400, 403, 404, 413, 422, 501, 502, 503, 504].includes(status))
})

test('the status says whose problem it is: not found 404, refused 422, bad request 400, expired 504, scheme 5xx', () => {
  const expected: Record<string, number> = {
    '3204': 404, '3208': 404, '3201': 404, '4001': 422, '4200': 422, '5101': 422, '5104': 422, '4300': 403,
    '3100': 400, '3101': 400, '3102': 400, '3303': 504, '3302': 504, '2004': 504, '2003': 503, '1001': 502, '3105': 502, '2001': 502, '7000': 502,
  }
  for (const [code, status] of Object.entries(expected)) assert.equal(httpStatusOfFspiopError(code), status, code)
})

test('a scheme-specific code outside the list maps by its category', () => {
  assert.equal(httpStatusOfFspiopError('3250'), 404)
  assert.equal(httpStatusOfFspiopError('3399'), 504)
  assert.equal(httpStatusOfFspiopError('3999'), 400)
  assert.equal(httpStatusOfFspiopError('4999'), 422)
  assert.equal(httpStatusOfFspiopError('5999'), 422)
  assert.equal(httpStatusOfFspiopError('6000'), 502)
})
