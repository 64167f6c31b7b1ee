import { test } from 'node:test'
import assert from 'node:assert/strict'
import { checkAmount, formatAmount, fromUnits, ledgerDecimal, toDbDecimal, toUnits } from './money.ts'
import { currencyScale } from './currencies.ts'

test('amounts follow the FSPIOP pattern and the currency scale', () => {
  assert.equal(checkAmount('100', 'USD').ok, true)
  assert.equal(checkAmount('100.25', 'USD').ok, true)
  assert.equal(checkAmount('0.5', 'JPY').ok, false)
  assert.equal(checkAmount('1.234', 'KWD').ok, true)
  assert.equal(checkAmount('1.2345', 'KWD').ok, false)
  assert.equal(checkAmount('10.10', 'USD').ok, false, 'trailing zero is not FSPIOP')
  assert.equal(checkAmount('010', 'USD').ok, false, 'leading zero')
  assert.equal(checkAmount('1e3', 'USD').ok, false)
  assert.equal(checkAmount(100, 'USD').ok, false, 'a JS number is not an amount')
  assert.equal(checkAmount('1234567890123456789', 'USD').ok, false, 'more than 18 integer digits')
  assert.equal(checkAmount('123456789012345678', 'USD').ok, true)
})

test('amount problems are named', () => {
  const problem = (a: unknown, c: string) => {
    const r = checkAmount(a, c)
    return r.ok ? 'ok' : r.problem
  }
  assert.equal(problem('-5', 'USD'), 'negative')
  assert.equal(problem('0', 'USD'), 'zero')
  assert.equal(checkAmount('0', 'USD', { allowZero: true }).ok, true)
  assert.equal(problem('5', 'ABC'), 'unknown-currency')
  assert.equal(problem('5.5', 'XOF'), 'too-many-decimals')
})

test('units round-trip exactly, with no float on the way', () => {
  for (const s of ['0', '0.0001', '123456789012345678.9999', '-42.5']) {
    assert.equal(formatAmount(fromUnits(toUnits(s))), formatAmount(s))
  }
  assert.equal(toUnits('0.1') + toUnits('0.2'), toUnits('0.3'))
  assert.equal(toDbDecimal('1.5'), '1.5000')
  assert.equal(formatAmount('100.5000'), '100.5')
  assert.equal(formatAmount('-0.0000'), '0')
})

test('ledger values refuse JS numbers and garbage', () => {
  assert.throws(() => ledgerDecimal(0.1 as unknown as string))
  assert.throws(() => ledgerDecimal('abc'))
  assert.equal(ledgerDecimal('-10.0000').toFixed(), '-10')
})

test('ISO 4217 scales', () => {
  assert.equal(currencyScale('USD'), 2)
  assert.equal(currencyScale('JPY'), 0)
  assert.equal(currencyScale('BHD'), 3)
  assert.equal(currencyScale('TZS'), 2)
  assert.equal(currencyScale('ZZZ'), undefined)
})
