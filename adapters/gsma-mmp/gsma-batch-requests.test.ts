import { test } from 'node:test'
import assert from 'node:assert/strict'
import { BATCH_TRANSACTIONS_MAX, batchOf } from './gsma-batch-requests.ts'
import { batchObjectOf } from './gsma-batches.ts'
import type { GsmaBatchRow } from './gsma-batch-store.ts'
import { GsmaError } from './gsma-errors.ts'

const keyOf = (work: () => unknown) => {
  try { work() } catch (error) { if (error instanceof GsmaError) return error.key; throw error }
  return 'ok'
}
const payment = { amount: '10.00', currency: 'USD', creditParty: [{ key: 'msisdn', value: '255700000001' }] }

test('a batch is its transactions[]: mandatory, not empty, at most BATCH_TRANSACTIONS_MAX; title and description are optional strings of 256 characters at most', () => {
  assert.equal(keyOf(() => batchOf({ transactions: [payment] })), 'ok')
  assert.equal(keyOf(() => batchOf({ batchTitle: 'x' })), 'validation/mandatoryValueNotSupplied')
  assert.equal(keyOf(() => batchOf({ transactions: [] })), 'validation/mandatoryValueNotSupplied')
  assert.equal(keyOf(() => batchOf({ transactions: {} })), 'validation/formatError')
  assert.equal(keyOf(() => batchOf({ transactions: Array(BATCH_TRANSACTIONS_MAX + 1).fill(payment) })), 'validation/lengthError')
  assert.equal(keyOf(() => batchOf({ transactions: [payment], batchDescription: 'x'.repeat(257) })), 'validation/lengthError')
  assert.equal(keyOf(() => batchOf({ transactions: [payment], batchTitle: 5 })), 'validation/formatError')
  assert.equal(keyOf(() => batchOf([payment])), 'validation/formatError')
})

test('each transaction needs an amount its currency allows and a creditParty; a debitParty, when given, must be valid; type is transfer or disbursement', () => {
  assert.equal(keyOf(() => batchOf({ transactions: [{ ...payment, type: 'disbursement', debitParty: [{ key: 'msisdn', value: '255711111111' }] }] })), 'ok')
  assert.equal(keyOf(() => batchOf({ transactions: [{ ...payment, amount: '1.001' }] })), 'validation/formatError')
  assert.equal(keyOf(() => batchOf({ transactions: [{ ...payment, currency: 'XXX1' }] })), 'validation/currencyNotSupported')
  assert.equal(keyOf(() => batchOf({ transactions: [{ amount: '1', currency: 'USD' }] })), 'validation/mandatoryValueNotSupplied')
  assert.equal(keyOf(() => batchOf({ transactions: [{ ...payment, debitParty: 'me' }] })), 'validation/formatError')
  assert.equal(keyOf(() => batchOf({ transactions: [{ ...payment, type: 'merchantpay' }] })), 'businessRule/transactionTypeError')
})

test('the switch pays a batch in one currency: a batch mixing currencies is refused up front with validation/currencyNotSupported naming the first other transaction', () => {
  try {
    batchOf({ transactions: [payment, payment, { ...payment, currency: 'EUR' }] })
    assert.fail('refused')
  } catch (error) {
    assert.ok(error instanceof GsmaError)
    assert.equal(error.key, 'validation/currencyNotSupported')
    assert.deepEqual(error.parameters[0], { key: 'transactionIndex', value: '2' })
  }
})

test('a refused transaction is named by its index in errorParameters', () => {
  try {
    batchOf({ transactions: [payment, payment, { ...payment, amount: '-1' }] })
    assert.fail('refused')
  } catch (error) {
    assert.ok(error instanceof GsmaError)
    assert.equal(error.key, 'validation/negativeValue')
    assert.deepEqual(error.parameters[0], { key: 'transactionIndex', value: '2' })
  }
})

test('the Batch Transaction object: created until the switch pays, approved (processing) while it pays, completed at the end; rejections are failed plus unresolved', () => {
  const at = new Date('2026-12-02T10:00:00Z')
  const row: GsmaBatchRow = {
    batchId: 'b-1', serverCorrelationId: 's-1', clientCorrelationId: 'c-1', callbackUrl: 'http://mmp/cb', submissionState: 'SUBMITTED',
    rawRequest: JSON.stringify({ batchTitle: 'T', transactions: [payment, payment, payment] }), callbackState: 'PENDING', callbackAttempts: 0, createdAt: at, updatedAt: at,
  }
  const counts = { total: 3, paid: 0, failed: 0, unresolved: 0, pending: 3 }
  const created = batchObjectOf(row, undefined)
  assert.deepEqual([created.batchStatus, created.processingFlag, created.completedCount, created.rejectionCount, created.batchTitle], ['created', false, 0, 0, 'T'])
  assert.equal(batchObjectOf(row, { ...counts, state: 'RESOLVING' }).batchStatus, 'created')
  const paying = batchObjectOf(row, { ...counts, state: 'PAYING', paid: 1, pending: 2 })
  assert.deepEqual([paying.batchStatus, paying.processingFlag, paying.completedCount], ['approved', true, 1])
  const done = batchObjectOf(row, { state: 'COMPLETED', total: 3, paid: 1, failed: 1, unresolved: 1, pending: 0 })
  assert.deepEqual([done.batchStatus, done.processingFlag, done.completedCount, done.rejectionCount, done.parsingSuccessCount], ['completed', false, 1, 2, 2])
})
