import { test } from 'node:test'
import assert from 'node:assert/strict'
import { allowedActions } from './web-actions.ts'

test('the page offers each role the actions the access table gives it on the admin API, and the regulator none', () => {
  assert.deepEqual(Object.values(allowedActions(['regulator'])).filter(Boolean), [])
  assert.deepEqual(Object.values(allowedActions(['auditor'])).filter(Boolean), [])
  const finance = allowedActions(['finance'])
  assert.equal(finance.closeWindow && finance.createSettlement && finance.updateSettlement && finance.recordFunds, true)
  assert.equal(finance.setNetDebitCap || finance.setParticipantActive, false, 'limits and activation are onboarding, the operator role')
  const operator = allowedActions(['operator'])
  assert.equal(operator.setNetDebitCap && operator.setParticipantActive && operator.recordFunds && operator.completeFundsOut, true)
  assert.equal(operator.closeWindow, false, 'settlement is the finance role\'s')
})
