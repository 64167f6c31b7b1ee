import { test } from 'node:test'
import assert from 'node:assert/strict'
import { checkExpiration, type ExpirationRule } from './expiration.ts'
import { FspiopError } from './errors.ts'

const now_ms = Date.parse('2026-12-02T12:00:00.000Z')
const rule: ExpirationRule = { passedCode: '3303', horizon_s: 86_400 }
const codeOf = (expiration: string, r: ExpirationRule = rule) => {
  try {
    checkExpiration(expiration, r, now_ms)
    return 'accepted'
  } catch (error) {
    assert.ok(error instanceof FspiopError)
    return error.code
  }
}

test('an expiration within the horizon is accepted, up to the horizon itself', () => {
  assert.equal(codeOf('2026-12-02T12:01:00.000Z'), 'accepted')
  assert.equal(codeOf('2026-12-03T12:00:00.000Z'), 'accepted')
})

test('an expiration beyond the horizon is the generic validation error 3100, naming the horizon', () => {
  assert.equal(codeOf('2026-12-03T12:00:00.001Z'), '3100')
  assert.equal(codeOf('2999-12-31T23:59:59.999Z'), '3100')
  assert.throws(() => checkExpiration('2999-12-31T23:59:59.999Z', rule, now_ms), /more than 86400 s ahead/)
})

test('an expiration that has passed is the resource\'s expired code', () => {
  assert.equal(codeOf('2026-12-02T12:00:00.000Z'), '3303')
  assert.equal(codeOf('2026-12-02T11:00:00.000Z', { passedCode: '3302', horizon_s: 60 }), '3302')
})

test('without a passed code only the horizon is checked (transaction requests are forwarded as Mojaloop does)', () => {
  assert.equal(codeOf('2026-12-01T12:00:00.000Z', { passedCode: undefined, horizon_s: 60 }), 'accepted')
  assert.equal(codeOf('2026-12-02T12:01:00.001Z', { passedCode: undefined, horizon_s: 60 }), '3100')
})
