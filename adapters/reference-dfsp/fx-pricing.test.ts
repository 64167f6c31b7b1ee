import { test } from 'node:test'
import assert from 'node:assert/strict'
import { checkPricing, FX_CHARGE_TYPE, priceConversion, type FxpPricing } from './fx-pricing.ts'

const pricing: FxpPricing = { rates: { 'USD/TZS': '2500', 'USD/UGX': '3712.45', 'TZS/USD': '0.0004', 'USD/KWD': '0.30712' }, feePercent: '1' }
const ok = (p: ReturnType<typeof priceConversion>) => {
  assert.ok(p.ok, JSON.stringify(p))
  return p
}

test('SEND: the target is the source less the fee at the pair\'s rate; the fee is a charge in both currencies', () => {
  const p = ok(priceConversion(pricing, 'SEND', { currency: 'USD', amount: '100' }, { currency: 'TZS' }))
  assert.equal(p.sourceAmount, '100')
  assert.equal(p.targetAmount, '247500')
  assert.deepEqual(p.charges, [{ chargeType: FX_CHARGE_TYPE, sourceAmount: { currency: 'USD', amount: '1' }, targetAmount: { currency: 'TZS', amount: '2500' } }])
})

test('without a fee the target is exactly the source at the rate, and there is no charge', () => {
  const p = ok(priceConversion({ rates: pricing.rates }, 'SEND', { currency: 'USD', amount: '12.34' }, { currency: 'TZS' }))
  assert.equal(p.targetAmount, '30850')
  assert.deepEqual(p.charges, [])
})

test('amounts are at the target currency\'s ISO 4217 scale, rounded down in the FXP\'s favour (UGX: 0 decimals, KWD: 3)', () => {
  const ugx = ok(priceConversion({ rates: pricing.rates }, 'SEND', { currency: 'USD', amount: '1.01' }, { currency: 'UGX' }))
  assert.equal(ugx.targetAmount, '3749') // 3749.5745 down
  const kwd = ok(priceConversion({ rates: pricing.rates }, 'SEND', { currency: 'USD', amount: '10.01' }, { currency: 'KWD' }))
  assert.equal(kwd.targetAmount, '3.074') // 3.0742712 down
  const usd = ok(priceConversion({ rates: pricing.rates }, 'SEND', { currency: 'TZS', amount: '12345.67' }, { currency: 'USD' }))
  assert.equal(usd.targetAmount, '4.93') // 4.938268 down
})

test('the fee is rounded up at the source currency\'s scale, and its target equivalent down', () => {
  const p = ok(priceConversion(pricing, 'SEND', { currency: 'USD', amount: '0.55' }, { currency: 'TZS' }))
  assert.deepEqual(p.charges[0]!.sourceAmount, { currency: 'USD', amount: '0.01' }) // 0.0055 up
  assert.equal(p.targetAmount, '1350') // 0.54 × 2500
})

test('decimal arithmetic, never floats: 0.1 + 0.2 of a rate stays exact', () => {
  const p = ok(priceConversion({ rates: { 'USD/EUR': '0.3' } }, 'SEND', { currency: 'USD', amount: '0.1' }, { currency: 'EUR' }))
  assert.equal(p.targetAmount, '0.03')
  const large = ok(priceConversion({ rates: { 'USD/TZS': '2500.0001' } }, 'SEND', { currency: 'USD', amount: '999999999999.99' }, { currency: 'TZS' }))
  assert.equal(large.targetAmount, '2500000099999974.99') // 999999999999.99 × 2500.0001 = 2500000099999974.999999 down
})

test('RECEIVE: the source is what the target costs at the rate, rounded up, plus the fee on it', () => {
  const p = ok(priceConversion(pricing, 'RECEIVE', { currency: 'USD' }, { currency: 'TZS', amount: '10001' }))
  assert.equal(p.targetAmount, '10001')
  assert.equal(p.sourceAmount, '4.06') // 10001 / 2500 = 4.0004, up to 4.01; the fee 1% of it, 0.0401, up to 0.05
  assert.deepEqual(p.charges[0]!.sourceAmount, { currency: 'USD', amount: '0.05' })
})

test('a pair the FXP has no rate for is 5106, the reverse of a listed pair included', () => {
  const p = priceConversion(pricing, 'SEND', { currency: 'TZS', amount: '1' }, { currency: 'UGX' })
  assert.deepEqual(p.ok ? undefined : p.errorCode, '5106')
  const reverse = priceConversion(pricing, 'SEND', { currency: 'UGX', amount: '1' }, { currency: 'USD' })
  assert.equal(reverse.ok, false)
})

test('a missing, malformed, zero or too precise amount is refused; so is one too small to convert after the fee', () => {
  const code = (p: ReturnType<typeof priceConversion>) => (p.ok ? 'ok' : p.errorCode)
  assert.equal(code(priceConversion(pricing, 'SEND', { currency: 'USD' }, { currency: 'TZS' })), '3102')
  assert.equal(code(priceConversion(pricing, 'RECEIVE', { currency: 'USD', amount: '1' }, { currency: 'TZS' })), '3102')
  assert.equal(code(priceConversion(pricing, 'SEND', { currency: 'USD', amount: '1.5e3' }, { currency: 'TZS' })), '3100')
  assert.equal(code(priceConversion(pricing, 'SEND', { currency: 'USD', amount: '0' }, { currency: 'TZS' })), '3100')
  assert.equal(code(priceConversion(pricing, 'SEND', { currency: 'USD', amount: '1.001' }, { currency: 'TZS' })), '3100')
  assert.equal(code(priceConversion({ rates: { 'TZS/USD': '0.0004' } }, 'SEND', { currency: 'TZS', amount: '10' }, { currency: 'USD' })), '5101')
})

test('a pricing with a bad pair, rate or fee is a configuration error', () => {
  assert.throws(() => checkPricing({ rates: { USDTZS: '1' } }), /SOURCE\/TARGET/)
  assert.throws(() => checkPricing({ rates: { 'USD/XYZ': '1' } }), /ISO 4217/)
  assert.throws(() => checkPricing({ rates: { 'USD/TZS': '0' } }), /positive/)
  assert.throws(() => checkPricing({ rates: { 'USD/TZS': '-2' } }), /positive/)
  assert.throws(() => checkPricing({ rates: {}, feePercent: '100' }), /below 100/)
  checkPricing(pricing)
})
