import { test } from 'node:test'
import assert from 'node:assert/strict'
import fc from 'fast-check'
import { Books } from './books.ts'

const account = (balance: bigint, held = 0n, incoming = 0n) => ({ balance, held, incoming })

test('a payer holds at prepare, then debits on COMMITTED or releases on an error', () => {
  const books = new Books()
  books.open('alice', '100')
  assert.ok(books.hold('t1', 'alice', '60'))
  assert.ok(!books.hold('t2', 'alice', '50'), 'only 40 left to hold')
  assert.deepEqual(books.accounts.get('alice'), account(1_000_000n, 600_000n))
  books.settleHold('t1')
  assert.deepEqual(books.accounts.get('alice'), account(400_000n))
  assert.ok(books.hold('t3', 'alice', '40'))
  books.releaseHold('t3')
  assert.deepEqual(books.accounts.get('alice'), account(400_000n))
  assert.equal(books.available('alice'), 400_000n)
})

test('a hold is settled or released once; an unknown customer or a reused id holds nothing', () => {
  const books = new Books()
  books.open('alice', '10')
  assert.ok(!books.hold('t1', 'bob', '1'))
  assert.ok(books.hold('t1', 'alice', '1'))
  assert.ok(!books.hold('t1', 'alice', '1'), 'same transfer id twice')
  books.settleHold('t1')
  books.settleHold('t1')
  assert.deepEqual(books.conflicts, [], 'a repeat of the final state changes nothing')
  books.releaseHold('t1')
  assert.deepEqual(books.accounts.get('alice'), account(90_000n))
  assert.deepEqual(books.conflicts, [{ transferId: 't1', booked: 'COMMITTED', reported: 'ABORTED' }], 'a contradicting one is kept')
  assert.ok(!books.hold('t1', 'alice', '1'), 'a final transfer id is not reused')
  assert.deepEqual(books.finals.get('t1'), { role: 'payer', customer: 'alice', amount: 10_000n, state: 'COMMITTED' })
})

test('finish books the final state on whichever side the books are of the transfer', () => {
  const books = new Books()
  books.open('alice', '10')
  books.hold('out', 'alice', '4')
  books.expectCredit('in', 'alice', '3')
  assert.deepEqual(books.pendingIds(), ['out', 'in'])
  books.finish('out', 'COMMITTED')
  books.finish('in', 'ABORTED')
  assert.deepEqual(books.accounts.get('alice'), account(60_000n))
  assert.deepEqual([books.finals.get('out')?.role, books.finals.get('in')?.role], ['payer', 'payee'])
  assert.ok(!books.isPending('out') && books.knows('out') && !books.knows('other'))
})

test('a payee expects the credit when it fulfils and books it only when the transfer is final', () => {
  const books = new Books()
  books.open('zawadi', '0')
  assert.ok(books.expectCredit('t1', 'zawadi', '25.5'))
  assert.ok(!books.expectCredit('t1', 'zawadi', '25.5'), 'the same transfer is expected once')
  assert.ok(!books.expectCredit('t2', 'nobody', '1'))
  assert.deepEqual(books.accounts.get('zawadi'), account(0n, 0n, 255_000n))
  assert.equal(books.available('zawadi'), 0n, 'an expected credit cannot be spent')
  books.bookCredit('t1')
  assert.deepEqual(books.accounts.get('zawadi'), account(255_000n))
  assert.ok(books.expectCredit('t3', 'zawadi', '5'))
  books.dropCredit('t3')
  books.bookCredit('t3')
  assert.deepEqual(books.accounts.get('zawadi'), account(255_000n))
  assert.equal(books.pendingCount, 0)
})

test('when every transfer is final, money is neither made nor lost across payer and payee books', () => {
  const step = fc.record({ amount: fc.integer({ min: 1, max: 500 }), outcome: fc.constantFrom('commit', 'abort') })
  fc.assert(fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
    const payer = new Books()
    const payee = new Books()
    payer.open('a', '1000')
    payee.open('b', '0')
    steps.forEach(({ amount, outcome }, i) => {
      const id = `t${i}`
      if (!payer.hold(id, 'a', String(amount))) return
      payee.expectCredit(id, 'b', String(amount))
      if (outcome === 'commit') { payer.settleHold(id); payee.bookCredit(id) } else { payer.releaseHold(id); payee.dropCredit(id) }
    })
    assert.equal(payer.total() + payee.total(), 10_000_000n)
    assert.ok(payer.accounts.get('a')!.balance >= 0n)
    assert.equal(payer.pendingCount + payee.pendingCount, 0)
  }))
})
