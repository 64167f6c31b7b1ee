import { test } from 'node:test'
import assert from 'node:assert/strict'
import { fulfilMessage, prepareMessage, routedFulfil } from './transfer-messages.ts'
import { requestHash } from '../../ledger/domain/request-hash.ts'
import type { FspiopHeaders } from '../fspiop/headers.ts'
import type { TransferPrepareBody } from '../pipeline/messages.ts'

const headers: FspiopHeaders = { version: '1.1', acceptVersion: '1.1', source: 'payer', destination: 'payee', date: 'Thu, 01 Jan 2026 00:00:00 GMT', signature: undefined, uri: undefined, httpMethod: undefined }
const body: TransferPrepareBody = {
  transferId: '01J0000000000000000000TEST', payerFsp: 'payer', payeeFsp: 'payee', amount: { amount: '10', currency: 'USD' },
  ilpPacket: 'AYIB', condition: 'x'.repeat(43), expiration: '2026-01-01T00:01:00.000Z',
}
const topic = (name: string) => `p.${name}`

test('a prepare carries the hash of its body, the parties\' accounts and the sender\'s passed headers; a refusal only when there is one', () => {
  const parties = { payerAccountId: 3, payeeAccountId: 5, payerSettlementAccountId: 4, refusal: undefined }
  const m = prepareMessage(body, headers, { date: headers.date, 'fspiop-signature': 'sig' }, parties, 1234)
  assert.equal(m.hash, requestHash(body))
  assert.deepEqual([m.payerAccountId, m.payeeAccountId, m.payerSettlementAccountId, m.publishBy], [3, 5, 4, 1234])
  assert.equal('refusal' in m, false)
  assert.equal(m.passHeaders?.['fspiop-signature'], 'sig')
  assert.equal(prepareMessage(body, headers, {}, { ...parties, refusal: 'Participant payee not found' }, 1).refusal, 'Participant payee not found')
})

test('a payee\'s answer goes to the position topic keyed by the payer\'s account; one for an unknown transfer is a 3208 to its sender', () => {
  const fulfil = fulfilMessage(body.transferId, { ...headers, source: 'payee' }, {}, { kind: 'fulfil', body: { transferState: 'COMMITTED', fulfilment: 'f' } })
  assert.equal(fulfil.hash, requestHash({ transferState: 'COMMITTED', fulfilment: 'f' }))
  const routed = routedFulfil('Hub', topic, fulfil, 3)
  assert.deepEqual([routed.topic, routed.key, JSON.parse(routed.payload).payerAccountId], ['p.transfer.position', '3', 3])
  const unknown = routedFulfil('Hub', topic, fulfil, undefined)
  const callback = JSON.parse(unknown.payload)
  assert.deepEqual([unknown.topic, callback.to, callback.body.errorInformation.errorCode], ['p.notification', 'payee', '3208'])
})
