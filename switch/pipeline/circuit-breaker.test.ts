import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createCircuitBreakers } from './circuit-breaker.ts'

function clock() {
  let now = 1_000_000
  return { now_ms: () => now, advance: (ms: number) => { now += ms } }
}

test('a breaker opens after the given number of failures in a row, and not before', () => {
  const breakers = createCircuitBreakers({ failuresToOpen: 3, ...clock() })
  assert.deepEqual([breakers.failed('a'), breakers.failed('a')], ['closed', 'closed'])
  assert.equal(breakers.state('a'), 'closed')
  assert.equal(breakers.failed('a'), 'open')
  assert.equal(breakers.state('a'), 'open')
  assert.equal(breakers.state('b'), 'closed', 'other DFSPs are not affected')
  assert.deepEqual(breakers.notClosed(), ['a'])
})

test('an answer in between resets the count: only failures in a row open the breaker', () => {
  const breakers = createCircuitBreakers({ failuresToOpen: 3, ...clock() })
  breakers.failed('a')
  breakers.failed('a')
  breakers.succeeded('a')
  breakers.failed('a')
  breakers.failed('a')
  assert.equal(breakers.state('a'), 'closed')
  assert.equal(breakers.tracked(), 1)
  breakers.succeeded('a')
  assert.equal(breakers.tracked(), 0, 'a healthy DFSP costs no memory')
})

test('an open breaker lets nothing through until the cool-down is over, then exactly one probe', () => {
  const c = clock()
  const breakers = createCircuitBreakers({ failuresToOpen: 1, coolDown_ms: 5_000, ...c })
  breakers.failed('a')
  assert.equal(breakers.startProbe('a'), false)
  assert.equal(breakers.probeAt_ms('a'), c.now_ms() + 5_000)
  c.advance(4_999)
  assert.equal(breakers.state('a'), 'open')
  c.advance(1)
  assert.equal(breakers.state('a'), 'half-open')
  assert.equal(breakers.mayProbe('a'), true)
  assert.equal(breakers.startProbe('a'), true)
  assert.equal(breakers.mayProbe('a'), false)
  assert.equal(breakers.startProbe('a'), false, 'one probe at a time')
  assert.equal(breakers.state('a'), 'half-open')
  assert.equal(breakers.probeAt_ms('a'), c.now_ms(), 'callbacks meanwhile wait for the probe\'s result, not for a time')
})

test('a probe that succeeds closes the breaker; one that fails opens it for another cool-down', () => {
  const c = clock()
  const breakers = createCircuitBreakers({ failuresToOpen: 1, coolDown_ms: 1_000, ...c })
  breakers.failed('a')
  c.advance(1_000)
  assert.ok(breakers.startProbe('a'))
  assert.equal(breakers.failed('a'), 'open')
  assert.equal(breakers.probeAt_ms('a'), c.now_ms() + 1_000)
  c.advance(1_000)
  assert.ok(breakers.startProbe('a'))
  breakers.succeeded('a')
  assert.equal(breakers.state('a'), 'closed')
  assert.equal(breakers.startProbe('a'), false, 'a closed breaker needs no probe')
})

test('a late failure while open does not restart the cool-down; a late success closes the breaker', () => {
  const c = clock()
  const breakers = createCircuitBreakers({ failuresToOpen: 1, coolDown_ms: 1_000, ...c })
  breakers.failed('a')
  c.advance(600)
  assert.equal(breakers.failed('a'), 'open')
  assert.equal(breakers.probeAt_ms('a'), c.now_ms() + 400)
  breakers.succeeded('a')
  assert.equal(breakers.state('a'), 'closed')
})

test('a probe never reported is taken as lost after its lease, so the DFSP is probed again', () => {
  const c = clock()
  const breakers = createCircuitBreakers({ failuresToOpen: 1, coolDown_ms: 1_000, probeLease_ms: 10_000, ...c })
  breakers.failed('a')
  c.advance(1_000)
  assert.ok(breakers.startProbe('a'))
  c.advance(9_999)
  assert.equal(breakers.startProbe('a'), false)
  c.advance(1)
  assert.ok(breakers.startProbe('a'))
})

test('memory is bounded: past the cap the longest-remembered DFSP is forgotten (its breaker closes)', () => {
  const breakers = createCircuitBreakers({ failuresToOpen: 1, trackedMax: 3, ...clock() })
  for (const r of ['a', 'b', 'c', 'd']) breakers.failed(r)
  assert.equal(breakers.tracked(), 3)
  assert.deepEqual(breakers.notClosed(), ['b', 'c', 'd'])
  assert.equal(breakers.state('a'), 'closed')
})
