import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { checkPrepare, decodeIlpPacket, ilpAmountOf, ilpTermsFor, transactionOf, type Transaction } from './ilp.ts'
import { fulfilmentMatches } from '../../ledger/domain/fulfilment.ts'

const sdk = createRequire(import.meta.url)('@mojaloop/sdk-standard-components')
const quiet = { child: () => quiet, debug() {}, info() {}, warn() {}, error() {}, isDebugEnabled: false }
const sdkIlp = sdk.Ilp.ilpFactory(sdk.Ilp.ILP_VERSIONS?.v4 ?? 'v4', { secret: 'payee-secret', logger: quiet })

const quoteRequest = {
  quoteId: '01JD0000000000000000000001', transactionId: '01JD0000000000000000000002', amountType: 'SEND', amount: { amount: '12.5', currency: 'USD' },
  payee: { partyIdInfo: { partyIdType: 'MSISDN', partyIdentifier: '255700000002', fspId: 'payeebank' } },
  payer: { partyIdInfo: { partyIdType: 'MSISDN', partyIdentifier: '255700000001', fspId: 'payerbank' }, name: 'Ada' },
  transactionType: { scenario: 'TRANSFER', initiator: 'PAYER', initiatorType: 'CONSUMER' },
}
const quoteResponse = { transferAmount: { amount: '12.5', currency: 'USD' }, expiration: '2030-01-01T00:00:00.000Z' }
const transaction: Transaction = transactionOf(quoteRequest, quoteResponse)

test('the packet, condition and fulfilment are byte for byte what sdk-standard-components IlpV4 makes for the same quote', () => {
  const ours = ilpTermsFor('payee-secret', transaction)
  const theirs = sdkIlp.getQuoteResponseIlp(quoteRequest, quoteResponse)
  assert.deepEqual(ours, theirs)
  assert.equal(sdkIlp.calculateFulfil(ours.ilpPacket), ours.fulfilment, 'the SDK rebuilds our fulfilment from our packet')
  assert.ok(sdkIlp.validateFulfil(ours.fulfilment, ours.condition))
})

test('an ILP v4 Prepare carries the amount in minor units, the quote expiration, the condition and the transaction', () => {
  const terms = ilpTermsFor('payee-secret', transaction, 'g.agora.payeebank')
  const decoded = decodeIlpPacket(terms.ilpPacket)!
  assert.equal(decoded.amount, '1250')
  assert.equal(decoded.destination, 'g.agora.payeebank')
  assert.equal(decoded.expiresAt.toISOString(), '2030-01-01T00:00:00.000Z')
  assert.equal(decoded.condition, terms.condition)
  assert.deepEqual(decoded.transaction, transaction)
  assert.ok(fulfilmentMatches(terms.fulfilment, terms.condition))
})

test('the ILP amount uses the currency scale: none for JPY, three decimals for BHD; a finer amount is refused', () => {
  assert.equal(ilpAmountOf({ amount: '100', currency: 'JPY' }), '100')
  assert.equal(ilpAmountOf({ amount: '1.234', currency: 'BHD' }), '1234')
  assert.throws(() => ilpAmountOf({ amount: '1.5', currency: 'JPY' }))
})

test('the payee rebuilds the fulfilment from the prepare alone, and refuses a packet that was changed or is not its own', () => {
  const terms = ilpTermsFor('payee-secret', transaction)
  const prepare = { payerFsp: 'payerbank', payeeFsp: 'payeebank', amount: { amount: '12.50', currency: 'USD' }, ilpPacket: terms.ilpPacket, condition: terms.condition }
  const ok = checkPrepare('payee-secret', prepare)
  assert.ok(ok.ok && ok.fulfilment === terms.fulfilment)
  assert.equal(checkPrepare('another-secret', prepare).ok, false)
  assert.equal(checkPrepare('payee-secret', { ...prepare, amount: { amount: '13', currency: 'USD' } }).ok, false)
  assert.equal(checkPrepare('payee-secret', { ...prepare, payeeFsp: 'elsewhere' }).ok, false)
  const other = ilpTermsFor('payee-secret', { ...transaction, amount: { amount: '99', currency: 'USD' } })
  assert.equal(checkPrepare('payee-secret', { ...prepare, ilpPacket: other.ilpPacket }).ok, false, 'a packet for another amount under this condition')
  assert.equal(checkPrepare('payee-secret', { ...prepare, ilpPacket: 'bm90IGEgcGFja2V0' }).ok, false)
})

test('key order in the received transaction does not change the fulfilment', () => {
  const reordered = Object.fromEntries(Object.entries(transaction).reverse()) as unknown as Transaction
  assert.equal(ilpTermsFor('s', reordered).fulfilment, ilpTermsFor('s', transaction).fulfilment)
})
