import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ERRORS, isFspiopErrorCode } from '../../switch/fspiop/errors.ts'
import { ALL_GSMA_ERROR_KEYS } from './gsma-errors.ts'
import { FSPIOP_ERROR_OF_GSMA, GSMA_ERROR_OF_FSPIOP, fspiopFailureOf, gsmaErrorOf } from './error-mapping.ts'
import { GsmaError } from './gsma-errors.ts'

test('every FSPIOP error code maps to a harmonised GSMA category and code', () => {
  for (const code of Object.keys(ERRORS)) {
    const key = (GSMA_ERROR_OF_FSPIOP as Record<string, string>)[code]
    assert.ok(key && (ALL_GSMA_ERROR_KEYS as readonly string[]).includes(key), `${code} → ${key}`)
    const error = gsmaErrorOf(code, ERRORS[code as keyof typeof ERRORS])
    assert.equal(error.key, key)
    assert.deepEqual(error.toBody().errorParameters, [{ key: 'fspiopErrorCode', value: code }], 'the FSPIOP code travels as an error parameter')
  }
  assert.equal(Object.keys(GSMA_ERROR_OF_FSPIOP).length, Object.keys(ERRORS).length)
})

test('every GSMA category and code maps to an FSPIOP error code', () => {
  for (const key of ALL_GSMA_ERROR_KEYS) {
    const code = FSPIOP_ERROR_OF_GSMA[key]
    assert.ok(isFspiopErrorCode(code), `${key} → ${code}`)
    assert.equal(fspiopFailureOf(new GsmaError(key)).errorCode, code)
  }
  assert.equal(Object.keys(FSPIOP_ERROR_OF_GSMA).length, ALL_GSMA_ERROR_KEYS.length)
})

test('an expired quote (FSPIOP 3302) is v1.2’s businessRule/quoteHasExpired, and back', () => {
  assert.equal(gsmaErrorOf('3302', 'Quote expired').key, 'businessRule/quoteHasExpired')
  assert.equal(fspiopFailureOf(new GsmaError('businessRule/quoteHasExpired')).errorCode, '3302')
})

test('a party the switch cannot find (3204) is an identification error, 404 (identifierError)', () => {
  const error = gsmaErrorOf('3204', 'Party not found')
  assert.equal(error.key, 'identification/identifierError')
  assert.equal(error.httpStatus, 404)
})

test('the net debit cap (4200) is the payer account’s cumulative value limit; payer FSP liquidity (4001) is insufficientFunds', () => {
  assert.equal(gsmaErrorOf('4200', '').key, 'businessRule/accountMaxTotalValueExceeded')
  assert.equal(gsmaErrorOf('4001', '').key, 'businessRule/insufficientFunds')
})

test('a scheme failure the client did not cause is internal or serviceUnavailable, never a client category', () => {
  for (const code of ['1000', '2001', '2003', '3105', '3106']) {
    const category = gsmaErrorOf(code, '').category
    assert.ok(category === 'internal' || category === 'serviceUnavailable', `${code} → ${category}`)
  }
})

test('the MMP’s identifierError reaches the switch as 3204 party not found; a limit as 5200; unavailable as 2003', () => {
  assert.equal(fspiopFailureOf(new GsmaError('identification/identifierError')).errorCode, '3204')
  assert.equal(fspiopFailureOf(new GsmaError('businessRule/maxBalanceExceeded')).errorCode, '5200')
  assert.equal(fspiopFailureOf(new GsmaError('serviceUnavailable/genericError')).errorCode, '2003')
})

test('a code outside the FSPIOP list maps by its family', () => {
  assert.equal(gsmaErrorOf('3299', '').key, 'identification/identifierError')
  assert.equal(gsmaErrorOf('5999', '').key, 'businessRule/genericError')
  assert.equal(gsmaErrorOf('9999', '').key, 'internal/genericError')
})
