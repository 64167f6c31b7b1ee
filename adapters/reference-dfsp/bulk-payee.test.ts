import { test } from 'node:test'
import assert from 'node:assert/strict'
import { Books } from './books.ts'
import { bulkTransferResults } from './bulk-payee.ts'
import { fulfilmentFor, ilpPacketFor } from './ilp.ts'

const SECRET = 'payee-secret'
const transfer = (transferId: string, payee: string) => {
  const amount = { amount: '5', currency: 'USD' }
  return { transferId, transferAmount: amount, ilpPacket: ilpPacketFor({ transactionId: `tx-${transferId}`, quoteId: `q-${transferId}`, payee, amount }) }
}

test('the same bulk prepare again (delivered twice across a switch restart) gets the same fulfilments, before and after the credit is booked, and the credit is expected once', () => {
  const books = new Books()
  books.open('255700000001', '0')
  const bulk = [transfer('t1', '255700000001'), transfer('t2', '255799999999')]
  const first = bulkTransferResults(books, SECRET, bulk)
  assert.deepEqual(first.map((r) => ('fulfilment' in r ? r.fulfilment : r.errorInformation.errorCode)), [fulfilmentFor(SECRET, bulk[0]!.ilpPacket), '5000'])
  assert.deepEqual(bulkTransferResults(books, SECRET, bulk), first)
  assert.equal(books.accounts.get('255700000001')!.incoming, 50_000n)
  books.finish('t1', 'COMMITTED')
  assert.deepEqual(bulkTransferResults(books, SECRET, bulk), first)
  assert.equal(books.accounts.get('255700000001')!.balance, 50_000n)
  assert.equal(books.accounts.get('255700000001')!.incoming, 0n)
})

test('a bulk prepare of a transfer the books aborted is refused 5000 again, never fulfilled', () => {
  const books = new Books()
  books.open('255700000001', '0')
  const bulk = [transfer('t1', '255700000001')]
  bulkTransferResults(books, SECRET, bulk)
  books.finish('t1', 'ABORTED')
  assert.equal(bulkTransferResults(books, SECRET, bulk)[0]!.errorInformation?.errorCode, '5000')
})
