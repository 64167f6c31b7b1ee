import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createAnswerTimes, FIRST_TRY_WAIT_MAX_MS, FIRST_TRY_WAIT_MIN_MS } from './answer-times.ts'

test('a DFSP not heard from yet is waited for the longest; one that answers in a few ms, the shortest', () => {
  const times = createAnswerTimes()
  assert.equal(times.wait_ms('new'), FIRST_TRY_WAIT_MAX_MS)
  for (let i = 0; i < 20; i++) times.ended('fast', 3)
  assert.equal(times.wait_ms('fast'), FIRST_TRY_WAIT_MIN_MS)
})

test('the wait follows the answer time and its spread (RFC 6298), between the floor and the ceiling', () => {
  const times = createAnswerTimes()
  for (let i = 0; i < 50; i++) times.ended('steady', 150)
  const steady = times.wait_ms('steady')
  assert.ok(steady >= 150 && steady < 170, `a steady 150 ms answer is waited for about 150 ms, not ${steady}`)
  for (let i = 0; i < 50; i++) times.ended('jittery', i % 2 === 0 ? 60 : 240)
  assert.ok(times.wait_ms('jittery') > 240, 'a spread of answers is waited for beyond the slowest of them')
  for (let i = 0; i < 50; i++) times.ended('sluggish', i % 2 === 0 ? 300 : 490)
  assert.equal(times.wait_ms('sluggish'), FIRST_TRY_WAIT_MAX_MS)
})

test('a DFSP whose try outlived the wait is slow until one of its tries ends within the ceiling, and keeps its answer time', () => {
  const times = createAnswerTimes()
  for (let i = 0; i < 20; i++) times.ended('a', 3)
  times.outlived('a')
  assert.equal(times.isSlow('a'), true)
  assert.equal(times.isSlow('b'), false)
  times.ended('a', 2_000) // the handed-over try timed out: still slow
  assert.equal(times.isSlow('a'), true)
  assert.equal(times.wait_ms('a'), FIRST_TRY_WAIT_MIN_MS, 'a timeout does not lengthen the wait: a silent DFSP holds a batch up for its usual answer time')
  times.ended('a', 4)
  assert.equal(times.isSlow('a'), false)
})

test('answer times are remembered for a bounded number of DFSPs, the least recently heard of forgotten first', () => {
  const times = createAnswerTimes(2)
  times.ended('a', 3)
  times.ended('b', 3)
  times.ended('a', 3)
  times.ended('c', 3)
  assert.equal(times.tracked(), 2)
  assert.equal(times.wait_ms('b'), FIRST_TRY_WAIT_MAX_MS, 'b, heard of least recently, was forgotten')
  assert.equal(times.wait_ms('a'), FIRST_TRY_WAIT_MIN_MS)
})
