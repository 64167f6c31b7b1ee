import { test } from 'node:test'
import assert from 'node:assert/strict'
import { fxpProviders, PROVIDERS_MAX, servesAsFxp, type FxpCandidate } from './fxp-directory.ts'

const fxp = (name: string, currencies: string[], more: Partial<FxpCandidate> = {}): FxpCandidate => ({
  name, isActive: true, isHub: false, hasFxQuotesEndpoint: true, positionCurrencies: new Set(currencies), ...more,
})

test('an FXP is an active participant with an FX quotes endpoint and active POSITION accounts in at least two currencies', () => {
  assert.equal(servesAsFxp(fxp('fx', ['USD', 'TZS'])), true)
  assert.equal(servesAsFxp(fxp('single', ['USD'])), false)
  assert.equal(servesAsFxp(fxp('inactive', ['USD', 'TZS'], { isActive: false })), false)
  assert.equal(servesAsFxp(fxp('hub', ['USD', 'TZS'], { isHub: true })), false)
  assert.equal(servesAsFxp(fxp('no-endpoint', ['USD', 'TZS'], { hasFxQuotesEndpoint: false })), false)
})

test('an FXP serves a pair only when it holds POSITION accounts in both currencies, and never a currency to itself', () => {
  const p = fxp('fx', ['USD', 'TZS', 'KES'])
  assert.equal(servesAsFxp(p, { source: 'USD', target: 'TZS' }), true)
  assert.equal(servesAsFxp(p, { source: 'TZS', target: 'KES' }), true)
  assert.equal(servesAsFxp(p, { source: 'USD', target: 'EUR' }), false)
  assert.equal(servesAsFxp(p, { source: 'USD', target: 'USD' }), false)
})

test('the providers leave out the requester, are sorted by name and at most the 16 the API allows', () => {
  const many = Array.from({ length: 20 }, (_, i) => fxp(`fxp${String(i).padStart(2, '0')}`, ['USD', 'TZS']))
  const providers = fxpProviders([...many].reverse(), 'fxp00')
  assert.equal(providers.length, PROVIDERS_MAX)
  assert.equal(providers[0], 'fxp01')
  assert.deepEqual(providers, [...providers].sort())
})
