import { test } from 'node:test'
import assert from 'node:assert/strict'
import { conditionFor, fulfilmentFor, ilpPacketFor, transactionOf } from './ilp.ts'
import { BASE64URL_32_BYTES, fulfilmentMatches } from '../../ledger/domain/fulfilment.ts'

test('the fulfilment rebuilt from the packet matches the condition given with the quote', () => {
  const packet = ilpPacketFor({ transactionId: 'x', payee: 'zawadi', amount: { amount: '5', currency: 'USD' } })
  const condition = conditionFor('s3cret', packet)
  assert.match(condition, BASE64URL_32_BYTES)
  assert.match(fulfilmentFor('s3cret', packet), BASE64URL_32_BYTES)
  assert.ok(fulfilmentMatches(fulfilmentFor('s3cret', packet), condition))
  assert.ok(!fulfilmentMatches(fulfilmentFor('other', packet), condition), 'another secret gives another fulfilment')
  assert.notEqual(conditionFor('s3cret', ilpPacketFor({ transactionId: 'y', payee: 'zawadi', amount: { amount: '5', currency: 'USD' } })), condition)
})

test('the packet is base64url and carries the transaction back to the payee', () => {
  const packet = ilpPacketFor({ transactionId: 'x', payee: 'zawadi', amount: { amount: '5', currency: 'USD' } })
  assert.match(packet, /^[A-Za-z0-9_-]+$/)
  assert.deepEqual(transactionOf(packet), { transactionId: 'x', payee: 'zawadi', amount: { amount: '5', currency: 'USD' } })
  assert.equal(transactionOf('not-a-packet'), undefined)
})
