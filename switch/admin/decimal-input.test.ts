// Limits and positions as Mojaloop tooling sends them (JSON numbers or strings), parsed without floats.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { decimalInput } from './decimal-input.ts'
import { FspiopError } from '../fspiop/errors.ts'

test('numbers and strings with up to 4 decimals are read exactly', () => {
  assert.equal(decimalInput(1000000, 'limit').toFixed(), '1000000')
  assert.equal(decimalInput('2500.5', 'limit').toFixed(), '2500.5')
  assert.equal(decimalInput(0.1, 'limit').toFixed(), '0.1')
  assert.equal(decimalInput('-3.1234', 'position').toFixed(), '-3.1234')
})

test('malformed, over-precise or too small values are a 3100', () => {
  for (const bad of ['abc', '1.23456', '1e5', '', ' 1', 1e21, 1.23456]) {
    assert.throws(() => decimalInput(bad, 'limit'), (e: unknown) => e instanceof FspiopError && e.code === '3100', String(bad))
  }
  assert.throws(() => decimalInput('-5', 'limit', { min: 0 }), /at least 0/)
  assert.equal(decimalInput('0', 'limit', { min: 0 }).toFixed(), '0')
})
