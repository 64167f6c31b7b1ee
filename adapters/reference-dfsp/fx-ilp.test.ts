import { test } from 'node:test'
import assert from 'node:assert/strict'
import { conversionCondition, conversionFulfilment } from './fx-ilp.ts'
import { BASE64URL_32_BYTES, fulfilmentMatches } from '../../ledger/domain/fulfilment.ts'
import type { ConversionLeg } from './fx-terms.ts'

const leg: ConversionLeg = {
  conversionId: 'c1', determiningTransferId: 't1', initiatingFsp: 'payer', counterPartyFsp: 'fxp',
  sourceAmount: { currency: 'USD', amount: '100' }, targetAmount: { currency: 'TZS', amount: '247500' },
}

test('the FXP rebuilds the fulfilment of its condition from the same conversion terms', () => {
  const condition = conversionCondition('s3cret', leg)
  assert.match(condition, BASE64URL_32_BYTES)
  assert.ok(fulfilmentMatches(conversionFulfilment('s3cret', { ...leg }), condition))
  assert.ok(!fulfilmentMatches(conversionFulfilment('other', leg), condition), 'another secret gives another fulfilment')
})

test('any changed term gives another condition: amounts, currencies, ids, parties', () => {
  const condition = conversionCondition('s3cret', leg)
  const changed: ConversionLeg[] = [
    { ...leg, targetAmount: { currency: 'TZS', amount: '247501' } }, { ...leg, sourceAmount: { currency: 'USD', amount: '99' } },
    { ...leg, targetAmount: { currency: 'KES', amount: '247500' } }, { ...leg, conversionId: 'c2' }, { ...leg, determiningTransferId: 't2' },
    { ...leg, determiningTransferId: undefined }, { ...leg, initiatingFsp: 'other' }, { ...leg, counterPartyFsp: 'fxp2' },
  ]
  for (const c of changed) assert.notEqual(conversionCondition('s3cret', c), condition, JSON.stringify(c))
})
