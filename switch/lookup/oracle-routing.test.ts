import { test } from 'node:test'
import assert from 'node:assert/strict'
import { chooseOracle, type OracleRoute } from './oracle-routing.ts'
import { FspiopError } from '../fspiop/errors.ts'

const route = (id: number, partyIdType: string, currency: string | undefined, isDefault: boolean): OracleRoute<string> =>
  ({ id, partyIdType, currency, isDefault, target: `oracle-${id}` })

const code = (f: () => unknown) => {
  try {
    f()
  } catch (error) {
    if (error instanceof FspiopError) return error.code
    throw error
  }
  return undefined
}

test('a party id type without a registered oracle is served by the built-in oracle', () => {
  assert.equal(chooseOracle([route(1, 'EMAIL', undefined, true)], 'MSISDN'), 'built-in')
})

test('the only oracle of a party id type serves the lookups that name no currency, default or not', () => {
  assert.equal(chooseOracle([route(1, 'MSISDN', undefined, false)], 'MSISDN'), 'oracle-1')
  assert.equal(chooseOracle([route(1, 'MSISDN', 'USD', false)], 'MSISDN'), 'oracle-1')
})

test('of several oracles of a type, ALS takes the default one (the last default by id)', () => {
  const routes = [route(1, 'MSISDN', 'USD', false), route(2, 'MSISDN', 'EUR', true), route(3, 'MSISDN', 'TZS', true), route(4, 'MSISDN', 'USD', false)]
  assert.equal(chooseOracle(routes, 'MSISDN'), 'oracle-3')
})

test('a lookup with a currency is served by the oracle of that type and currency, the default of several', () => {
  const routes = [route(1, 'MSISDN', 'USD', false), route(2, 'MSISDN', 'EUR', true), route(3, 'MSISDN', 'USD', true)]
  assert.equal(chooseOracle(routes, 'MSISDN', 'EUR'), 'oracle-2')
  assert.equal(chooseOracle(routes, 'MSISDN', 'USD'), 'oracle-3')
})

test('a currency no oracle of the type is registered for is 3003 "Oracle type:X and currency:Y not found", as ALS answers', () => {
  assert.equal(code(() => chooseOracle([route(1, 'MSISDN', 'USD', true)], 'MSISDN', 'EUR')), '3003')
  assert.equal(code(() => chooseOracle([route(1, 'MSISDN', undefined, true)], 'MSISDN', 'EUR')), '3003')
})

test('several oracles of a type and none of them default is 3003 (ALS has no oracle to call)', () => {
  assert.equal(code(() => chooseOracle([route(1, 'MSISDN', undefined, false), route(2, 'MSISDN', undefined, false)], 'MSISDN')), '3003')
})
