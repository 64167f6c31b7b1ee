import { test } from 'node:test'
import assert from 'node:assert/strict'
import { inRecipientMode } from './iso-wire.ts'
import { ilpTerms } from '../../../test/support/ilp-terms.ts'
import { ulid } from '../../../test/support/ulid.ts'

const transaction = { payer: { partyIdType: 'MSISDN', partyIdentifier: '1', fspId: 'a' }, payee: { partyIdType: 'MSISDN', partyIdentifier: '2', fspId: 'b' }, amount: { amount: '5', currency: 'USD' } }
const terms = ilpTerms(transaction)
const transferId = ulid()
const prepare = {
  method: 'POST' as const, path: '/transfers', params: { transferId }, resource: 'transfers', source: 'a', destination: 'b',
  body: { transferId, payerFsp: 'a', payeeFsp: 'b', amount: { amount: '5', currency: 'USD' }, ilpPacket: terms.ilpPacket, condition: terms.condition, expiration: new Date(Date.now() + 60_000).toISOString() },
  passHeaders: { 'fspiop-signature': '{"signature":"x"}', 'fspiop-uri': '/transfers', 'fspiop-http-method': 'POST' },
}

test('an FSPIOP participant gets the message as the sender sent it, signature included', async () => {
  const wire = await inRecipientMode(prepare, 'FSPIOP')
  assert.ok(wire.ok)
  assert.deepEqual([wire.body, wire.headers, wire.passHeaders], [prepare.body, {}, prepare.passHeaders])
})

test('an ISO20022 participant gets pacs.008 with ISO content types, without the signature made over the FSPIOP body', async () => {
  const wire = await inRecipientMode(prepare, 'ISO20022')
  assert.ok(wire.ok)
  assert.equal((wire.body as any).CdtTrfTxInf.PmtId.TxId, transferId)
  assert.deepEqual(wire.headers, { 'content-type': 'application/vnd.interoperability.iso20022.transfers+json;version=2.0', accept: 'application/vnd.interoperability.iso20022.transfers+json;version=2.0' })
  assert.deepEqual(wire.passHeaders, { 'fspiop-uri': '/transfers', 'fspiop-http-method': 'POST' })
})

test('an ISO20022 participant gets /participants messages in FSPIOP: the ISO document does not define them', async () => {
  const callback = { method: 'PUT' as const, path: '/participants/MSISDN/1', params: {}, resource: 'participants', source: 'Hub', destination: 'b', body: { fspId: 'b' } }
  const wire = await inRecipientMode(callback, 'ISO20022')
  assert.ok(wire.ok)
  assert.deepEqual([wire.body, wire.headers], [{ fspId: 'b' }, {}])
})

test('a message ISO 20022 cannot express is not sent, with the reason (for the dead letter)', async () => {
  const otherCondition = ilpTerms(transaction).condition
  const wire = await inRecipientMode({ ...prepare, body: { ...prepare.body, condition: otherCondition } }, 'ISO20022')
  assert.equal(wire.ok, false)
  assert.match(!wire.ok ? wire.reason : '', /cannot be sent in ISO 20022: the condition is not the executionCondition/)
})
