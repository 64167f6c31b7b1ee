import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createTokenBuckets } from './token-buckets.ts'

function clock() {
  let now = 0
  return { now: () => now, advance: (ms: number) => { now += ms } }
}

test('a key may send `burst` requests at once; the next one waits for a token', () => {
  const c = clock()
  const buckets = createTokenBuckets({ rate_per_s: 10, burst: 5 }, c.now)
  for (let i = 0; i < 5; i++) assert.deepEqual(buckets.take('dfsp1'), { ok: true })
  assert.deepEqual(buckets.take('dfsp1'), { ok: false, retryAfter_ms: 100 })
})

test('tokens come back at rate_per_s, never more than burst', () => {
  const c = clock()
  const buckets = createTokenBuckets({ rate_per_s: 10, burst: 5 }, c.now)
  for (let i = 0; i < 5; i++) buckets.take('dfsp1')
  c.advance(300) // 3 tokens
  const taken = Array.from({ length: 5 }, () => buckets.take('dfsp1').ok)
  assert.deepEqual(taken, [true, true, true, false, false])
  c.advance(60_000) // a long quiet time refills to burst, not beyond
  assert.equal(Array.from({ length: 10 }, () => buckets.take('dfsp1').ok).filter(Boolean).length, 5)
})

test('over a long run a key gets rate_per_s requests a second plus the burst, whatever it asks for', () => {
  const c = clock()
  const buckets = createTokenBuckets({ rate_per_s: 100, burst: 20 }, c.now)
  let passed = 0
  for (let ms = 0; ms < 10_000; ms++) {
    for (let i = 0; i < 3; i++) if (buckets.take('busy').ok) passed++
    c.advance(1)
  }
  assert.ok(passed <= 100 * 10 + 20, `passed ${passed}`)
  assert.ok(passed >= 100 * 10, `passed ${passed}`)
})

test('each key has its own bucket: one participant at its limit does not slow another', () => {
  const c = clock()
  const buckets = createTokenBuckets({ rate_per_s: 1, burst: 1 }, c.now)
  assert.equal(buckets.take('a').ok, true)
  assert.equal(buckets.take('a').ok, false)
  assert.equal(buckets.take('b').ok, true)
})

test('rate_per_s 0 turns the limit off', () => {
  const buckets = createTokenBuckets({ rate_per_s: 0, burst: 0 })
  for (let i = 0; i < 10_000; i++) assert.equal(buckets.take('x').ok, true)
})
