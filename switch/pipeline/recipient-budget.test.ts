import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRecipientBudget } from './recipient-budget.ts'

test('a DFSP gets at most its own share of tries in flight; the others keep theirs', () => {
  const budget = createRecipientBudget(2)
  assert.deepEqual([budget.tryAcquire('slow'), budget.tryAcquire('slow'), budget.tryAcquire('slow')], [true, true, false])
  assert.equal(budget.tryAcquire('healthy'), true)
  assert.deepEqual([budget.free('slow'), budget.free('healthy')], [0, 1])
  budget.release('slow')
  assert.equal(budget.tryAcquire('slow'), true)
})

test('a wait for a slot ends with the slot when one is released, or without it when the wait is given up', async () => {
  const budget = createRecipientBudget(1)
  budget.tryAcquire('a')
  const waited = budget.acquire('a', new AbortController().signal)
  budget.release('a')
  assert.equal(await waited, true)
  assert.equal(budget.free('a'), 0, 'the waiter holds the slot')
  const giveUp = new AbortController()
  const abandoned = budget.acquire('a', giveUp.signal)
  giveUp.abort()
  assert.equal(await abandoned, false)
  budget.release('a')
  assert.equal(budget.free('a'), 1, 'an abandoned wait takes nothing')
})

test('releasing a slot never taken is a bug, not a silent miscount', () => {
  assert.throws(() => createRecipientBudget(1).release('a'), /did not hold/)
})
