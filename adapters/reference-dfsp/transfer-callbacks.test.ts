import { test } from 'node:test'
import assert from 'node:assert/strict'
import { transferNews } from './transfer-callbacks.ts'

const error = (errorCode: string) => ({ errorInformation: { errorCode, errorDescription: 'd' } })

test('COMMITTED and ABORTED are final, RECEIVED and RESERVED are not', () => {
  assert.deepEqual(transferNews(false, { transferState: 'COMMITTED', fulfilment: 'x' }), { kind: 'final', state: 'COMMITTED' })
  assert.deepEqual(transferNews(false, { transferState: 'ABORTED' }), { kind: 'final', state: 'ABORTED' })
  assert.deepEqual(transferNews(false, { transferState: 'RESERVED' }), { kind: 'not-final' })
  assert.deepEqual(transferNews(false, { transferState: 'RECEIVED' }), { kind: 'not-final' })
  assert.deepEqual(transferNews(false, {}), { kind: 'nothing' })
})

test('an error callback aborts the transfer, except 3208 (not found, maybe yet) and 3106 (a modified duplicate)', () => {
  assert.deepEqual(transferNews(true, error('3303')), { kind: 'final', state: 'ABORTED', errorCode: '3303', description: 'd' })
  assert.deepEqual(transferNews(true, error('5104')), { kind: 'final', state: 'ABORTED', errorCode: '5104', description: 'd' })
  assert.deepEqual(transferNews(true, error('3208')), { kind: 'not-found' })
  assert.deepEqual(transferNews(true, error('3106')), { kind: 'nothing' })
})
