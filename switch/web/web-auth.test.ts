import { test } from 'node:test'
import assert from 'node:assert/strict'
import { hashPassword, verifyPassword } from './passwords.ts'
import { createSessions, SESSION_COOKIE, SESSION_TTL_MS } from '../operators/sessions.ts'

test('passwords are checked against their scrypt hash', () => {
  const hash = hashPassword('correct horse')
  assert.ok(verifyPassword('correct horse', hash))
  assert.ok(!verifyPassword('wrong', hash))
  assert.notEqual(hashPassword('correct horse'), hash, 'salted')
})

test('a session cookie is accepted until it expires, and a forged one never', () => {
  const sessions = createSessions('secret')
  const cookie = `${SESSION_COOKIE}=${encodeURIComponent(sessions.issue({ name: 'rita', roles: ['regulator'] }, 0))}`
  assert.deepEqual(sessions.read(cookie, 1000), { name: 'rita', roles: ['regulator'] })
  assert.equal(sessions.read(cookie, SESSION_TTL_MS + 1), undefined)
  assert.equal(sessions.read(cookie.replace('regulator', 'operator'), 1000), undefined, 'role cannot be changed')
  assert.equal(createSessions('other').read(cookie, 1000), undefined)
})

test('a session keeps every role and a name with the cookie\'s separators in it', () => {
  const sessions = createSessions('secret')
  const cookie = `${SESSION_COOKIE}=${encodeURIComponent(sessions.issue({ name: 'a|b,c', roles: ['finance', 'auditor'] }, 0, 60_000))}`
  assert.deepEqual(sessions.read(cookie, 1000), { name: 'a|b,c', roles: ['finance', 'auditor'] })
  assert.equal(sessions.read(cookie, 60_001), undefined, 'a shorter life, e.g. what is left of a token, is kept')
})
