import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { canMove, fspiopTransferState, isFinal, TRANSFER_STATES } from './transfer-state.ts'
import { conditionOf, fulfilmentMatches } from './fulfilment.ts'

test('states only move forward and final states never move', () => {
  assert.ok(canMove('RECEIVED', 'RESERVED'))
  assert.ok(canMove('RESERVED', 'COMMITTED'))
  assert.ok(canMove('RESERVED', 'EXPIRED'))
  assert.ok(!canMove('RESERVED', 'RECEIVED'))
  for (const final of ['COMMITTED', 'ABORTED', 'EXPIRED'] as const) {
    assert.ok(isFinal(final))
    for (const to of TRANSFER_STATES) assert.ok(!canMove(final, to), `${final} → ${to}`)
  }
  assert.equal(fspiopTransferState('EXPIRED'), 'ABORTED')
})

test('a fulfilment matches the condition made from it, and nothing else', () => {
  const fulfilment = randomBytes(32).toString('base64url')
  const condition = conditionOf(fulfilment)
  assert.equal(condition.length, 43)
  assert.ok(fulfilmentMatches(fulfilment, condition))
  assert.ok(!fulfilmentMatches(randomBytes(32).toString('base64url'), condition))
  assert.ok(!fulfilmentMatches('short', condition))
  assert.ok(!fulfilmentMatches(fulfilment, `${condition.slice(0, 42)}!`))
})
