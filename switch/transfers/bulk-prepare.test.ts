import { test } from 'node:test'
import assert from 'node:assert/strict'
import { checkBulkPrepare } from './bulk-prepare.ts'
import { FspiopError } from '../fspiop/errors.ts'
import type { BulkTransferPrepareBody } from './bulk-messages.ts'

const item = (transferId: string, amount = '1', currency = 'USD') => ({ transferId, transferAmount: { amount, currency }, ilpPacket: 'p', condition: 'c' })
const bulk = (items: BulkTransferPrepareBody['individualTransfers']): BulkTransferPrepareBody =>
  ({ bulkTransferId: 'b', bulkQuoteId: 'q', payerFsp: 'a', payeeFsp: 'b', expiration: '2030-01-01T00:00:00Z', individualTransfers: items })
const codeOf = (body: BulkTransferPrepareBody) => {
  try { checkBulkPrepare(body); return 'ok' } catch (error) { return (error as FspiopError).code }
}

test('a bulk holds at most 1,000 transfers (3103 beyond), in one currency, each id once, amounts well formed (3100)', () => {
  assert.equal(checkBulkPrepare(bulk(Array.from({ length: 1000 }, (_, i) => item(`t${i}`)))), 'USD')
  assert.equal(codeOf(bulk(Array.from({ length: 1001 }, (_, i) => item(`t${i}`)))), '3103')
  assert.equal(codeOf(bulk([item('a'), item('b', '1', 'EUR')])), '3100')
  assert.equal(codeOf(bulk([item('a'), item('a')])), '3100')
  assert.equal(codeOf(bulk([item('a', '1.23456')])), '3100')
  assert.equal(codeOf(bulk([])), '3102')
})
