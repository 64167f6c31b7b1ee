// Cross-currency payments between reference DFSPs through the real switch (FSPIOP v2.0, payer-side
// conversion): a USD payer pays a TZS payee through a reference FXP (services/FXP, fxQuote, quote,
// fxTransfer, dependent transfer); its books, the FXP's books per currency, the payee's books and the
// switch's positions in both currencies agree. An FXP that finds the terms changed, or has not the target
// money to pay out, refuses the fxTransfer: the payer is told and nothing moves.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { startSwitch, type SwitchHarness } from '../support/switch-harness.ts'
import { call, onboardDfsp, onboardFxp, setupHub } from '../support/fixtures.ts'
import { ReferenceDfsp, type FspiopCallbackError } from '../../adapters/reference-dfsp/reference-dfsp.ts'
import { startDfspHost, type DfspHost } from '../../adapters/reference-dfsp/dfsp-host.ts'
import { FX_CHARGE_TYPE } from '../../adapters/reference-dfsp/fx-pricing.ts'
import { legOfQuote } from '../../adapters/reference-dfsp/fx-terms.ts'
import { assertSwitchInvariants } from '../support/switch-invariants.ts'

const POLL_ATTEMPTS_MAX = 200
const POLL_INTERVAL_MS = 50

let sw: SwitchHarness
let host: DfspHost
let payer: ReferenceDfsp
let payee: ReferenceDfsp
let fxp: ReferenceDfsp
/** An FXP with almost no TZS of its own: it quotes, then cannot pay out. Sorts after `fxp`, so pay() picks that one. */
let dryFxp: ReferenceDfsp

const PAYER_CUSTOMER = '15550000001'
const PAYEE_CUSTOMER = '255750000002'

async function position(name: string, currency: string): Promise<number> {
  return (await call(sw.admin, 'GET', `/participants/${name}/positions?currency=${currency}`)).body.value
}

async function positions() {
  return {
    payerUsd: await position(payer.name, 'USD'), fxpUsd: await position(fxp.name, 'USD'),
    fxpTzs: await position(fxp.name, 'TZS'), payeeTzs: await position(payee.name, 'TZS'),
  }
}

async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < POLL_ATTEMPTS_MAX && !check(); i++) await new Promise((r) => setTimeout(r, POLL_INTERVAL_MS))
  assert.ok(check(), what)
}

const balance = (d: ReferenceDfsp, customer: string) => d.books.accounts.get(customer)!
const fxpAccount = (currency: string) => fxp.fxProvider!.books.accounts.get(currency)!

before(async () => {
  sw = await startSwitch('refdfspfx')
  payer = new ReferenceDfsp({
    name: 'fxpayerbank', secret: 'fxpayerbank-secret', switchUrl: sw.apiUrl, version: '2.0', currency: 'USD',
    customers: [{ idType: 'MSISDN', id: PAYER_CUSTOMER, name: 'Tunde', balance: '1000' }],
  })
  payee = new ReferenceDfsp({
    name: 'fxpayeewallet', secret: 'fxpayeewallet-secret', switchUrl: sw.apiUrl, version: '2.0', currency: 'TZS',
    customers: [{ idType: 'MSISDN', id: PAYEE_CUSTOMER, name: 'Yaro', balance: '0' }],
  })
  fxp = new ReferenceDfsp({
    name: 'reffxp', secret: 'reffxp-secret', switchUrl: sw.apiUrl, version: '2.0', customers: [],
    fxp: { rates: { 'USD/TZS': '2500' }, feePercent: '1', liquidity: { USD: '0', TZS: '10000000' } },
  })
  dryFxp = new ReferenceDfsp({
    name: 'reffxpdry', secret: 'reffxpdry-secret', switchUrl: sw.apiUrl, version: '2.0', customers: [],
    fxp: { rates: { 'USD/TZS': '2500' }, liquidity: { TZS: '10' } },
  })
  host = await startDfspHost([payer, payee, fxp, dryFxp])
  await setupHub(sw.admin, 'USD')
  await setupHub(sw.admin, 'TZS')
  await onboardDfsp(sw.admin, { name: payer.name, currency: 'USD', ndc: '10000', fundsIn: '10000', endpointBase: host.endpointBase(payer.name) })
  await onboardDfsp(sw.admin, { name: payee.name, currency: 'TZS', ndc: '10000000', fundsIn: '10000000', endpointBase: host.endpointBase(payee.name) })
  await onboardFxp(sw.admin, {
    name: fxp.name, currencies: ['USD', 'TZS'], ndc: { USD: '10000', TZS: '10000000' }, fundsIn: { USD: '10000', TZS: '10000000' }, endpointBase: host.endpointBase(fxp.name),
  })
  await onboardFxp(sw.admin, { name: dryFxp.name, currencies: ['USD', 'TZS'], ndc: { USD: '10000', TZS: '10000000' }, fundsIn: { USD: '10000', TZS: '10000000' }, endpointBase: host.endpointBase(dryFxp.name) })
  await payee.registerParties()
})
after(async () => {
  for (const d of [payer, payee, fxp, dryFxp]) await d?.close()
  await host?.close()
  await sw?.stop()
})

test('a USD payer pays a TZS payee through the reference FXP: both legs commit, every book and both currencies agree', async () => {
  const payment = await payer.pay(PAYER_CUSTOMER, { idType: 'MSISDN', id: PAYEE_CUSTOMER }, '100')
  const converted = payment.value.converted
  assert.ok(converted, 'the payee takes TZS only: the payment is converted')
  assert.equal(converted.fxp, fxp.name)
  const terms = converted.fxQuote.value.conversionTerms
  assert.deepEqual([terms.sourceAmount, terms.targetAmount], [{ currency: 'USD', amount: '100' }, { currency: 'TZS', amount: '247500' }])
  assert.deepEqual(terms.charges, [{ chargeType: FX_CHARGE_TYPE, sourceAmount: { currency: 'USD', amount: '1' }, targetAmount: { currency: 'TZS', amount: '2500' } }])
  assert.deepEqual(converted.quote.value.transferAmount, { currency: 'TZS', amount: '247500' })
  assert.equal(converted.fxTransfer.value.conversionState, 'RESERVED')
  assert.equal(converted.fxTransfer.value.fulfilment?.length, 43)
  assert.equal(payment.value.transfer.transferState, 'COMMITTED')
  assert.equal(converted.transfer.id, terms.determiningTransferId, 'the dependent transfer is the one the conversion names')

  assert.deepEqual(balance(payer, PAYER_CUSTOMER), { balance: 9_000_000n, held: 0n, incoming: 0n })
  await eventually(() => balance(payee, PAYEE_CUSTOMER).balance === 2_475_000_000n, 'the payee books the 247500 TZS')
  await eventually(() => fxpAccount('USD').balance === 1_000_000n, 'the FXP books its USD in on PATCH COMMITTED')
  assert.deepEqual(fxpAccount('TZS'), { balance: 97_525_000_000n, held: 0n, incoming: 0n })
  assert.equal(fxp.fxProvider!.books.pendingCount, 0)
  assert.deepEqual(await positions(), { payerUsd: 100, fxpUsd: -100, fxpTzs: 247500, payeeTzs: -247500 })
  await assertSwitchInvariants(sw)
})

test('an FXP that finds the conversion terms changed refuses the fxTransfer: the payer is told and nothing moves', async () => {
  const before = await positions()
  const payerBefore = { ...balance(payer, PAYER_CUSTOMER) }
  const fxpBefore = { usd: { ...fxpAccount('USD') }, tzs: { ...fxpAccount('TZS') } }
  const fxQuote = await payer.fx.fxQuote(fxp.name, { currency: 'USD', amount: '10' }, { currency: 'TZS' })
  const leg = legOfQuote(fxQuote.value.conversionTerms)
  assert.equal(leg.targetAmount.amount, '24750')
  const changed = { ...leg, targetAmount: { currency: 'TZS', amount: '25000' } } // the fee left out: not what the FXP quoted
  await assert.rejects(payer.fx.fxTransfer(PAYER_CUSTOMER, changed, fxQuote.value.condition), (e: FspiopCallbackError) => e.errorCode === '5105')
  assert.deepEqual(balance(payer, PAYER_CUSTOMER), payerBefore, 'the hold is released')
  assert.deepEqual({ usd: fxpAccount('USD'), tzs: fxpAccount('TZS') }, fxpBefore)
  assert.equal(fxp.fxProvider!.books.pendingCount, 0)
  assert.deepEqual(await positions(), before)
  await assertSwitchInvariants(sw)
})

test('no FXP converts a pair nobody holds both currencies of: the payer hears an empty list and pays nothing', async () => {
  const providers = await payer.fx.providers('USD', 'KES')
  assert.deepEqual(providers.value.providers, [])
})

test('an FXP without the target money to pay out refuses the fxTransfer (5001): the payer keeps its money, the positions do not move', async () => {
  const before = { payer: await position(payer.name, 'USD'), fxpUsd: await position(dryFxp.name, 'USD'), fxpTzs: await position(dryFxp.name, 'TZS') }
  const payerBefore = { ...balance(payer, PAYER_CUSTOMER) }
  const fxQuote = await payer.fx.fxQuote(dryFxp.name, { currency: 'USD', amount: '1' }, { currency: 'TZS' })
  assert.equal(fxQuote.value.conversionTerms.targetAmount.amount, '2500')
  await assert.rejects(payer.fx.fxTransfer(PAYER_CUSTOMER, legOfQuote(fxQuote.value.conversionTerms), fxQuote.value.condition), (e: FspiopCallbackError) => e.errorCode === '5001')
  assert.deepEqual(balance(payer, PAYER_CUSTOMER), payerBefore)
  assert.equal(dryFxp.fxProvider!.books.pendingCount, 0)
  assert.deepEqual({ payer: await position(payer.name, 'USD'), fxpUsd: await position(dryFxp.name, 'USD'), fxpTzs: await position(dryFxp.name, 'TZS') }, before)
  await assertSwitchInvariants(sw)
})

test('GET /services/FXP/USD/TZS lists every FXP holding both currencies, by name', async () => {
  assert.deepEqual((await payer.fx.providers('USD', 'TZS')).value.providers, [fxp.name, dryFxp.name])
})
