import { test } from 'node:test'
import assert from 'node:assert/strict'
import { currencyOf, fxPicker, fxPlan, isFxFlow } from './fx-flow.ts'

test('the fx flows split the DFSPs: the first half pay in the source currency, the rest are paid in the target', () => {
  const plan = fxPlan(5, 'USD', 'TZS', '2500')
  assert.deepEqual(plan.payers, [0, 1, 2])
  assert.deepEqual(plan.payees, [3, 4])
  assert.deepEqual([0, 1, 2, 3, 4].map((d) => currencyOf(plan, d)), ['USD', 'USD', 'USD', 'TZS', 'TZS'])
  assert.deepEqual(plan.pricing.rates, { 'USD/TZS': '2500' })
  assert.throws(() => fxPlan(1, 'USD'), /at least two DFSPs/)
  assert.throws(() => fxPlan(4, 'USD', 'USD'), /two currencies/)
  assert.ok(isFxFlow('fx') && isFxFlow('fx-full') && !isFxFlow('full'))
})

test('every fx payment goes from a payer DFSP to a payee DFSP, the first payer sending the skew', () => {
  const plan = fxPlan(4, 'USD', 'TZS')
  const pick = fxPicker(plan, 0.7)
  let first = 0
  for (let n = 0; n < 2000; n++) {
    const [from, to] = pick()
    assert.ok(plan.payers.includes(from) && plan.payees.includes(to), `${from} → ${to}`)
    if (from === 0) first++
  }
  assert.ok(first > 1550 && first < 1850, `first payer sent ${first} of 2000`) // 0.7 + 0.3 / 2
})
