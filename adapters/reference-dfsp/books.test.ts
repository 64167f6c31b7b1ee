import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Books } from './books.ts'
import { conditionFor, fulfilmentFor, ilpPacketFor, transactionOf } from './ilp.ts'
import { fulfilmentMatches } from '../../ledger/domain/fulfilment.ts'

test('a payer holds, then settles or releases; a customer cannot spend what it does not have', () => {
  const books = new Books()
  books.open('alice', '100')
  assert.ok(books.hold('t1', 'alice', '60'))
  assert.ok(!books.hold('t2', 'alice', '50'), 'only 40 left to hold')
  books.settleHold('t1')
  assert.deepEqual(books.accounts.get('alice'), { balance: 400000n, held: 0n })
  assert.ok(books.hold('t3', 'alice', '40'))
  books.releaseHold('t3')
  assert.deepEqual(books.accounts.get('alice'), { balance: 400000n, held: 0n })
})

test('the fulfilment rebuilt from the packet matches the condition given with the quote', () => {
  const packet = ilpPacketFor({ transactionId: 'x', amount: { amount: '5', currency: 'USD' } })
  assert.ok(fulfilmentMatches(fulfilmentFor('s3cret', packet), conditionFor('s3cret', packet)))
  assert.ok(!fulfilmentMatches(fulfilmentFor('other', packet), conditionFor('s3cret', packet)))
  assert.equal(transactionOf(packet).transactionId, 'x')
})
