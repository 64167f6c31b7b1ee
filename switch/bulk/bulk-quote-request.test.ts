import { test } from 'node:test'
import assert from 'node:assert/strict'
import { quoteResults, transferResults } from './bulk-quote-request.ts'

const items = ['q1', 'q2', 'q3'].map((quoteId) => ({ quoteId, transactionId: 't', payee: { partyIdType: 'MSISDN', partyIdentifier: '1' }, amount: '5', currency: 'USD' }))

test('a bulk quote answer gives each item its ILP terms or its error; an item the payee left out fails; an error answer fails every item', () => {
  const body = { individualQuoteResults: [
    { quoteId: 'q1', transferAmount: { amount: '5', currency: 'USD' }, ilpPacket: 'p', condition: 'c' },
    { quoteId: 'q2', errorInformation: { errorCode: '3204', errorDescription: 'Party not found' } },
  ] }
  assert.deepEqual(quoteResults(items, { error: false, body }).map((r) => (r.ok ? 'ok' : r.errorCode)), ['ok', '3204', '5000'])
  assert.deepEqual(quoteResults(items, { error: true, body: { errorInformation: { errorCode: '3201', errorDescription: 'x' } } }).map((r) => (r.ok ? 'ok' : r.errorCode)), ['3201', '3201', '3201'])
})

test('a bulk transfer result: a fulfilment is COMMITTED, an expired item EXPIRED, any other error ABORTED with its code', () => {
  const result = { bulkTransferState: 'COMPLETED' as const, individualTransferResults: [
    { transferId: 'a', fulfilment: 'f' },
    { transferId: 'b', errorInformation: { errorCode: '3303', errorDescription: 'Transfer expired' } },
    { transferId: 'c', errorInformation: { errorCode: '4200', errorDescription: 'Payer limit error' } },
  ] }
  assert.deepEqual(transferResults(result, new Map([['b', 'EXPIRED']])).map((r) => r.state), ['COMMITTED', 'EXPIRED', 'ABORTED'])
})
