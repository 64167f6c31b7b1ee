import { test } from 'node:test'
import assert from 'node:assert/strict'
import { requestHash } from './request-hash.ts'

test('the same content hashes the same in any key order', () => {
  assert.equal(requestHash({ a: 1, b: { c: [1, 2], d: 'x' } }), requestHash({ b: { d: 'x', c: [1, 2] }, a: 1 }))
})

test('any change of content changes the hash', () => {
  const base = { amount: { amount: '100', currency: 'USD' }, transferId: 't1' }
  assert.notEqual(requestHash(base), requestHash({ ...base, amount: { amount: '101', currency: 'USD' } }))
  assert.notEqual(requestHash([1, 2]), requestHash([2, 1]), 'array order matters')
  assert.equal(requestHash(base).length, 64)
})
