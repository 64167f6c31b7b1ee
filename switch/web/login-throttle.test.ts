import { test } from 'node:test'
import assert from 'node:assert/strict'
import {
  createLoginThrottle, LOGIN_FAILURE_MEMORY_MS, LOGIN_FAILURES_FREE_PER_ADDRESS, LOGIN_FAILURES_FREE_PER_NAME, LOGIN_LOCK_FIRST_MS, LOGIN_LOCK_MAX_MS,
} from './login-throttle.ts'

function clock() {
  let t = 1_000_000
  return { now: () => t, advance: (ms: number) => { t += ms } }
}

test('a few failures are free, then each one locks the name out twice as long, up to the cap', () => {
  const c = clock()
  const throttle = createLoginThrottle(c.now)
  for (let i = 0; i < LOGIN_FAILURES_FREE_PER_NAME; i++) assert.equal(throttle.failed('rita', `10.0.0.${i}`), 0)
  const locks: number[] = []
  for (let i = 0; i < 25; i++) {
    locks.push(throttle.failed('rita', `10.0.1.${i}`))
    assert.deepEqual(throttle.check('rita', '10.9.9.9'), { allowed: false, retryAfter_ms: locks[i] }, 'locked whatever the address')
    c.advance(locks[i]!)
    assert.deepEqual(throttle.check('rita', '10.9.9.9'), { allowed: true })
  }
  assert.deepEqual(locks.slice(0, 4), [LOGIN_LOCK_FIRST_MS, 2 * LOGIN_LOCK_FIRST_MS, 4 * LOGIN_LOCK_FIRST_MS, 8 * LOGIN_LOCK_FIRST_MS])
  assert.equal(Math.max(...locks), LOGIN_LOCK_MAX_MS)
})

test('one address guessing many names is locked out, and its own good login does not unlock it', () => {
  const c = clock()
  const throttle = createLoginThrottle(c.now)
  for (let i = 0; i < LOGIN_FAILURES_FREE_PER_ADDRESS; i++) throttle.failed(`user${i}`, '192.0.2.7')
  assert.ok(throttle.failed('user-x', '192.0.2.7') > 0)
  throttle.succeeded('mallory')
  assert.equal(throttle.check('someone-new', '192.0.2.7').allowed, false)
  assert.equal(throttle.check('someone-new', '192.0.2.8').allowed, true, 'other addresses are not affected')
})

test('the right password clears the name, and failures are forgotten after a quiet hour', () => {
  const c = clock()
  const throttle = createLoginThrottle(c.now)
  for (let i = 0; i < LOGIN_FAILURES_FREE_PER_NAME; i++) throttle.failed('olga', 'a')
  throttle.succeeded('olga')
  assert.equal(throttle.failed('olga', 'b'), 0, 'counting starts again')
  for (let i = 0; i < LOGIN_FAILURES_FREE_PER_NAME; i++) throttle.failed('rita', 'c')
  c.advance(LOGIN_FAILURE_MEMORY_MS + 1)
  assert.equal(throttle.failed('rita', 'c'), 0)
})
