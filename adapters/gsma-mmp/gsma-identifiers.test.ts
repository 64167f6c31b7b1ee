import { test } from 'node:test'
import assert from 'node:assert/strict'
import { fspiopPartyOf, identifierOf, identifiersOfPath } from './gsma-identifiers.ts'
import { GsmaError } from './gsma-errors.ts'

const keyOf = (work: () => unknown) => {
  try { work() } catch (error) { if (error instanceof GsmaError) return error.key; throw error }
  return 'ok'
}

test('an msisdn (6 to 15 digits, + and spaces allowed) becomes an FSPIOP MSISDN of digits', () => {
  assert.deepEqual(fspiopPartyOf([{ key: 'msisdn', value: '+255 711 000 001' }], 'creditParty'), { idType: 'MSISDN', idValue: '255711000001' })
  assert.equal(keyOf(() => fspiopPartyOf([{ key: 'msisdn', value: '12ab' }], 'creditParty')), 'validation/formatError')
})

test('the first identifier FSPIOP can look up is used; walletid alone cannot be routed (identifierError)', () => {
  assert.deepEqual(fspiopPartyOf([{ key: 'walletid', value: 'w1' }, { key: 'accountid', value: '2000' }], 'creditParty'), { idType: 'ACCOUNT_ID', idValue: '2000' })
  assert.equal(keyOf(() => fspiopPartyOf([{ key: 'walletid', value: 'w1' }], 'creditParty')), 'identification/identifierError')
})

test('a key outside the Account Identifiers enumeration is a formatError; none is mandatoryValueNotSupplied; more than ten a lengthError', () => {
  assert.equal(keyOf(() => fspiopPartyOf([{ key: 'phone', value: '1' }], 'debitParty')), 'validation/formatError')
  assert.equal(keyOf(() => fspiopPartyOf([], 'debitParty')), 'validation/mandatoryValueNotSupplied')
  assert.equal(keyOf(() => fspiopPartyOf(Array.from({ length: 11 }, () => ({ key: 'msisdn', value: '255711000001' })), 'debitParty')), 'validation/lengthError')
})

test('FSPIOP party types map back to the key they came from', () => {
  assert.deepEqual(identifierOf('MSISDN', '255711000001'), { key: 'msisdn', value: '255711000001' })
  assert.deepEqual(identifierOf('ACCOUNT_ID', '2000'), { key: 'accountid', value: '2000' })
  assert.equal(keyOf(() => identifierOf('DEVICE', 'x')), 'identification/identifierError')
})

test('the multiple identifiers path is key@value pairs joined by $', () => {
  assert.deepEqual(identifiersOfPath('accountid@2000$walletid@w1'), [{ key: 'accountid', value: '2000' }, { key: 'walletid', value: 'w1' }])
  assert.equal(keyOf(() => identifiersOfPath('accountid')), 'validation/formatError')
})
