// Cross-currency payments end to end (FSPIOP v2.0 payer-side FX, Mojaloop's fxTransfers flow) over real
// HTTP, Kafka and MariaDB: a USD payer pays a TZS payee through an FXP that holds positions in both. The
// ledger and pipeline invariants (each currency sums to zero) are checked after every test.
import { after, afterEach, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes, randomUUID } from 'node:crypto'
import type { SwitchHarness } from '../support/switch-harness.ts'
import type { TestDfsp } from '../support/dfsp-server.ts'
import { call } from '../support/fixtures.ts'
import { startFxWorld, type FxWorld } from '../support/fx-world.ts'
import { fspiopHeaders, newTransfer, send, type SentTransfer } from '../support/fspiop-client.ts'
import { assertSwitchInvariants } from '../support/switch-invariants.ts'
import { conditionOf } from '../../ledger/domain/fulfilment.ts'

let world: FxWorld
let sw: SwitchHarness
let payer: TestDfsp
let payee: TestDfsp
let fxp: TestDfsp

before(async () => {
  world = await startFxWorld('fx-transfers', { payer: 'usdbank', payee: 'tzswallet', fxps: ['fxprovider'] })
  ;({ sw, payer, payee } = world)
  fxp = world.fxps[0]!
})
afterEach(async () => assertSwitchInvariants(sw))
after(async () => world.stop())

interface Conversion {
  commitRequestId: string
  fulfilment: string
  body: Record<string, unknown>
  transfer: SentTransfer
}

/** A conversion of `usd` USD into `tzs` TZS for a new transfer of `tzs` TZS to the payee. */
function newConversion(usd: string, tzs: string, opts: { expiresIn_ms?: number; transferExpiresIn_ms?: number } = {}): Conversion {
  const transfer = newTransfer(payer.name, payee.name, tzs, { currency: 'TZS', expiresIn_ms: opts.transferExpiresIn_ms })
  const fulfilment = randomBytes(32).toString('base64url')
  const commitRequestId = randomUUID()
  return {
    commitRequestId, fulfilment, transfer,
    body: {
      commitRequestId, determiningTransferId: transfer.transferId, initiatingFsp: payer.name, counterPartyFsp: fxp.name,
      sourceAmount: { amount: usd, currency: 'USD' }, targetAmount: { amount: tzs, currency: 'TZS' }, condition: conditionOf(fulfilment),
      expiration: new Date(Date.now() + (opts.expiresIn_ms ?? 60_000)).toISOString(),
    },
  }
}

const v2 = (source: string, destination: string, resource: string, callback = false) => {
  const headers = fspiopHeaders(source, destination, '2.0', resource)
  if (callback) delete headers.accept
  return headers
}
const postConversion = (c: Conversion) => send(sw.apiUrl, 'POST', '/fxTransfers', v2(payer.name, fxp.name, 'fxTransfers'), c.body)
const fxpConfirms = (c: Conversion, fulfilment = c.fulfilment) =>
  send(sw.apiUrl, 'PUT', `/fxTransfers/${c.commitRequestId}`, v2(fxp.name, payer.name, 'fxTransfers', true), { conversionState: 'RESERVED', fulfilment, completedTimestamp: new Date().toISOString() })
const postDependent = (c: Conversion) => send(sw.apiUrl, 'POST', '/transfers', v2(payer.name, payee.name, 'transfers'), c.transfer.body)
const payeeAnswers = (c: Conversion, body: Record<string, unknown>) => send(sw.apiUrl, 'PUT', `/transfers/${c.transfer.transferId}`, v2(payee.name, payer.name, 'transfers', true), body)

/** POST /fxTransfers reaches the FXP, its RESERVED answer reaches the payer. */
async function confirmedConversion(c: Conversion): Promise<void> {
  assert.equal((await postConversion(c)).status, 202)
  await fxp.waitFor((r) => r.method === 'POST' && r.path === '/fxTransfers' && r.body.commitRequestId === c.commitRequestId)
  assert.equal((await fxpConfirms(c)).status, 200)
  await payer.waitFor((r) => r.method === 'PUT' && r.path === `/fxTransfers/${c.commitRequestId}`)
}

const position = (name: string, currency: string) => world.position(name, currency)
const stateOf = async (id: string) => (await sw.testDb.db('transfer').where({ id }).first())?.state

describe('a USD payer pays a TZS payee through an FXP', () => {
  test('the conversion reserves USD against the payer, the dependent transfer TZS against the FXP, and the payee\'s fulfil commits both (FXP told by PATCH)', async () => {
    const before = { payerUsd: await position(payer.name, 'USD'), fxpUsd: await position(fxp.name, 'USD'), fxpTzs: await position(fxp.name, 'TZS'), payeeTzs: await position(payee.name, 'TZS') }
    const c = newConversion('100', '250000')
    assert.equal((await postConversion(c)).status, 202)
    const forwarded = await fxp.waitFor((r) => r.method === 'POST' && r.path === '/fxTransfers' && r.body.commitRequestId === c.commitRequestId)
    assert.equal(forwarded.headers['content-type'], 'application/vnd.interoperability.fxTransfers+json;version=2.0')
    assert.equal(forwarded.headers['fspiop-source'], payer.name)
    assert.deepEqual(await position(payer.name, 'USD'), [before.payerUsd[0], before.payerUsd[1] + 100])
    assert.equal((await fxpConfirms(c)).status, 200)
    const confirmed = await payer.waitFor((r) => r.method === 'PUT' && r.path === `/fxTransfers/${c.commitRequestId}`)
    assert.equal(confirmed.body.conversionState, 'RESERVED')
    assert.equal(confirmed.headers['fspiop-source'], fxp.name)

    assert.equal((await postDependent(c)).status, 202)
    await payee.waitFor((r) => r.method === 'POST' && r.path === '/transfers' && r.body.transferId === c.transfer.transferId)
    assert.deepEqual(await position(fxp.name, 'TZS'), [before.fxpTzs[0], before.fxpTzs[1] + 250000], 'the TZS leg is reserved against the FXP')
    assert.equal((await payeeAnswers(c, { transferState: 'COMMITTED', fulfilment: c.transfer.fulfilment, completedTimestamp: new Date().toISOString() })).status, 200)
    const done = await payer.waitFor((r) => r.method === 'PUT' && r.path === `/transfers/${c.transfer.transferId}`)
    assert.equal(done.body.transferState, 'COMMITTED')
    const patch = await fxp.waitFor((r) => r.method === 'PATCH' && r.path === `/fxTransfers/${c.commitRequestId}`)
    assert.equal(patch.body.conversionState, 'COMMITTED')
    assert.deepEqual([await stateOf(c.commitRequestId), await stateOf(c.transfer.transferId)], ['COMMITTED', 'COMMITTED'])
    assert.deepEqual(await position(payer.name, 'USD'), [before.payerUsd[0] + 100, before.payerUsd[1]])
    assert.deepEqual(await position(fxp.name, 'USD'), [before.fxpUsd[0] - 100, before.fxpUsd[1]])
    assert.deepEqual(await position(fxp.name, 'TZS'), [before.fxpTzs[0] + 250000, before.fxpTzs[1]])
    assert.deepEqual(await position(payee.name, 'TZS'), [before.payeeTzs[0] - 250000, before.payeeTzs[1]])
    // GET /fxTransfers/{id} answers the conversion's state to the initiating DFSP.
    assert.equal((await send(sw.apiUrl, 'GET', `/fxTransfers/${c.commitRequestId}`, v2(payer.name, fxp.name, 'fxTransfers'))).status, 202)
    const got = await payer.waitFor((r) => r.method === 'PUT' && r.path === `/fxTransfers/${c.commitRequestId}` && r.body.conversionState === 'COMMITTED')
    assert.equal(got.body.fulfilment, c.fulfilment)
  })
})

describe('failures release both legs', () => {
  test('the FXP rejects the conversion: its error reaches the payer and the USD reservation is released', async () => {
    const before = await position(payer.name, 'USD')
    const c = newConversion('40', '100000')
    await postConversion(c)
    await fxp.waitFor((r) => r.method === 'POST' && r.body.commitRequestId === c.commitRequestId)
    const error = { errorInformation: { errorCode: '5100', errorDescription: 'Rate no longer available' } }
    assert.equal((await send(sw.apiUrl, 'PUT', `/fxTransfers/${c.commitRequestId}/error`, v2(fxp.name, payer.name, 'fxTransfers', true), error)).status, 200)
    const told = await payer.waitFor((r) => r.path === `/fxTransfers/${c.commitRequestId}/error`)
    assert.equal(told.body.errorInformation.errorCode, '5100')
    assert.equal(await stateOf(c.commitRequestId), 'ABORTED')
    assert.deepEqual(await position(payer.name, 'USD'), before)
  })

  test('the payee rejects the dependent transfer after the conversion was reserved: both are released and the FXP hears of it', async () => {
    const before = { payerUsd: await position(payer.name, 'USD'), fxpTzs: await position(fxp.name, 'TZS') }
    const c = newConversion('10', '25000')
    await confirmedConversion(c)
    await postDependent(c)
    await payee.waitFor((r) => r.method === 'POST' && r.body.transferId === c.transfer.transferId)
    const reject = { errorInformation: { errorCode: '5104', errorDescription: 'Payee rejected transaction' } }
    await send(sw.apiUrl, 'PUT', `/transfers/${c.transfer.transferId}/error`, v2(payee.name, payer.name, 'transfers', true), reject)
    assert.equal((await payer.waitFor((r) => r.path === `/transfers/${c.transfer.transferId}/error`)).body.errorInformation.errorCode, '5104')
    assert.equal((await fxp.waitFor((r) => r.path === `/fxTransfers/${c.commitRequestId}/error`)).body.errorInformation.errorCode, '5104')
    assert.deepEqual([await stateOf(c.commitRequestId), await stateOf(c.transfer.transferId)], ['ABORTED', 'ABORTED'])
    assert.deepEqual(await position(payer.name, 'USD'), before.payerUsd)
    assert.deepEqual(await position(fxp.name, 'TZS'), before.fxpTzs)
  })

  test('an FXP over its net debit cap in the target currency: the dependent transfer is refused with 4200 and the conversion released', async () => {
    const before = await position(payer.name, 'USD')
    const c = newConversion('500', '2000000') // the FXP's TZS cap is 1,000,000
    await confirmedConversion(c)
    await postDependent(c)
    assert.equal((await payer.waitFor((r) => r.path === `/transfers/${c.transfer.transferId}/error`)).body.errorInformation.errorCode, '4200')
    assert.equal((await fxp.waitFor((r) => r.path === `/fxTransfers/${c.commitRequestId}/error`)).body.errorInformation.errorCode, '4200')
    assert.equal(await stateOf(c.commitRequestId), 'ABORTED')
    assert.deepEqual(await position(payer.name, 'USD'), before)
  })

  test('a dependent transfer sent before the FXP confirmed is refused (3100) and ends the conversion', async () => {
    const c = newConversion('5', '12500')
    await postConversion(c)
    await fxp.waitFor((r) => r.method === 'POST' && r.body.commitRequestId === c.commitRequestId)
    await postDependent(c)
    const refused = await payer.waitFor((r) => r.path === `/transfers/${c.transfer.transferId}/error`)
    assert.equal(refused.body.errorInformation.errorCode, '3100')
    assert.match(refused.body.errorInformation.errorDescription, /not been confirmed/)
    assert.equal(await stateOf(c.commitRequestId), 'ABORTED')
  })

  test('a dependent transfer whose amount is not the conversion\'s target amount is refused (3100)', async () => {
    const c = newConversion('5', '12500')
    await confirmedConversion(c)
    c.transfer.body.amount = { amount: '12000', currency: 'TZS' }
    await postDependent(c)
    const refused = await payer.waitFor((r) => r.path === `/transfers/${c.transfer.transferId}/error`)
    assert.match(refused.body.errorInformation.errorDescription, /target amount/)
    assert.equal(await stateOf(c.commitRequestId), 'ABORTED')
  })
})

describe('expiry of each leg', () => {
  test('a conversion with no dependent transfer expires: EXPIRED, released, 3303 to the payer and the FXP', async () => {
    const before = await position(payer.name, 'USD')
    const c = newConversion('7', '17500', { expiresIn_ms: 1500 })
    await confirmedConversion(c)
    assert.equal((await payer.waitFor((r) => r.path === `/fxTransfers/${c.commitRequestId}/error`)).body.errorInformation.errorCode, '3303')
    assert.equal((await fxp.waitFor((r) => r.path === `/fxTransfers/${c.commitRequestId}/error`)).body.errorInformation.errorCode, '3303')
    assert.equal(await stateOf(c.commitRequestId), 'EXPIRED')
    assert.deepEqual(await position(payer.name, 'USD'), before)
  })

  test('a dependent transfer that expires releases both legs, even though the conversion expired first and waited for it', async () => {
    const before = { payerUsd: await position(payer.name, 'USD'), fxpTzs: await position(fxp.name, 'TZS') }
    const c = newConversion('8', '20000', { expiresIn_ms: 4000, transferExpiresIn_ms: 7000 })
    await confirmedConversion(c)
    await postDependent(c)
    await payee.waitFor((r) => r.method === 'POST' && r.body.transferId === c.transfer.transferId)
    assert.equal((await payer.waitFor((r) => r.path === `/transfers/${c.transfer.transferId}/error`)).body.errorInformation.errorCode, '3303')
    assert.equal((await fxp.waitFor((r) => r.path === `/fxTransfers/${c.commitRequestId}/error`)).body.errorInformation.errorCode, '3303')
    assert.deepEqual([await stateOf(c.commitRequestId), await stateOf(c.transfer.transferId)], ['ABORTED', 'EXPIRED'])
    assert.deepEqual(await position(payer.name, 'USD'), before.payerUsd)
    assert.deepEqual(await position(fxp.name, 'TZS'), before.fxpTzs)
  })
})

describe('duplicates (Mojaloop\'s rules, as for transfers)', () => {
  test('the same POST /fxTransfers in progress is ignored, a modified one gets 3106, the same one once final gets the state again', async () => {
    const c = newConversion('3', '7500')
    await postConversion(c)
    await fxp.waitFor((r) => r.method === 'POST' && r.body.commitRequestId === c.commitRequestId)
    await postConversion(c)
    await send(sw.apiUrl, 'POST', '/fxTransfers', v2(payer.name, fxp.name, 'fxTransfers'), { ...c.body, sourceAmount: { amount: '4', currency: 'USD' } })
    assert.equal((await payer.waitFor((r) => r.path === `/fxTransfers/${c.commitRequestId}/error`)).body.errorInformation.errorCode, '3106')
    await send(sw.apiUrl, 'PUT', `/fxTransfers/${c.commitRequestId}/error`, v2(fxp.name, payer.name, 'fxTransfers', true), { errorInformation: { errorCode: '5100', errorDescription: 'no' } })
    await payer.waitFor((r) => r.path === `/fxTransfers/${c.commitRequestId}/error` && r.body.errorInformation.errorCode === '5100')
    await postConversion(c)
    const resent = await payer.waitFor((r) => r.method === 'PUT' && r.path === `/fxTransfers/${c.commitRequestId}` && r.body.conversionState === 'ABORTED')
    assert.equal(resent.headers['fspiop-source'], 'Hub')
    const forwards = fxp.received.filter((r) => r.method === 'POST' && r.body.commitRequestId === c.commitRequestId)
    assert.equal(forwards.length, 1, 'the FXP got the request once')
  })

  test('a second conversion for a transfer whose conversion is still open is refused (3100); the open one is untouched', async () => {
    const c = newConversion('2', '5000')
    await confirmedConversion(c)
    const second = { ...c.body, commitRequestId: randomUUID() }
    await send(sw.apiUrl, 'POST', '/fxTransfers', v2(payer.name, fxp.name, 'fxTransfers'), second)
    const refused = await payer.waitFor((r) => r.path === `/fxTransfers/${second.commitRequestId}/error`)
    assert.equal(refused.body.errorInformation.errorCode, '3100')
    assert.equal(await stateOf(c.commitRequestId), 'RESERVED')
    // Once confirmed, the FXP cannot take it back (its second answer is a modified duplicate, 3106)...
    await send(sw.apiUrl, 'PUT', `/fxTransfers/${c.commitRequestId}/error`, v2(fxp.name, payer.name, 'fxTransfers', true), { errorInformation: { errorCode: '5100', errorDescription: 'cancelled' } })
    assert.equal((await fxp.waitFor((r) => r.path === `/fxTransfers/${c.commitRequestId}/error`)).body.errorInformation.errorCode, '3106')
    assert.equal(await stateOf(c.commitRequestId), 'RESERVED')
    // ...and only its dependent transfer ends it: here one refused for its amount.
    c.transfer.body.amount = { amount: '1', currency: 'TZS' }
    await postDependent(c)
    await payer.waitFor((r) => r.path === `/transfers/${c.transfer.transferId}/error`)
    assert.equal(await stateOf(c.commitRequestId), 'ABORTED')
  })

  test('an FXP answer from another participant is refused (3100) and changes nothing', async () => {
    const c = newConversion('1', '2500')
    await postConversion(c)
    await fxp.waitFor((r) => r.method === 'POST' && r.body.commitRequestId === c.commitRequestId)
    await send(sw.apiUrl, 'PUT', `/fxTransfers/${c.commitRequestId}`, v2(payee.name, payer.name, 'fxTransfers', true), { conversionState: 'RESERVED', fulfilment: c.fulfilment })
    assert.equal((await payee.waitFor((r) => r.path === `/fxTransfers/${c.commitRequestId}/error`)).body.errorInformation.errorCode, '3100')
    assert.equal(await stateOf(c.commitRequestId), 'RESERVED')
    await send(sw.apiUrl, 'PUT', `/fxTransfers/${c.commitRequestId}/error`, v2(fxp.name, payer.name, 'fxTransfers', true), { errorInformation: { errorCode: '5100', errorDescription: 'cancelled' } })
    await payer.waitFor((r) => r.path === `/fxTransfers/${c.commitRequestId}/error`)
  })
})

describe('settlement and reports', () => {
  const closeWindow = async (id: number) => call(sw.admin, 'POST', `/v2/settlementWindows/${id}`, { state: 'CLOSED', reason: 'end of cycle' })
  const openWindowId = async () => (await call(sw.admin, 'GET', '/v2/settlementWindows?state=OPEN')).body[0].settlementWindowId as number

  test('a window nets each currency with its FX legs, each currency settles to zero under its own model, and the conversions report shows both sides and the rate', async () => {
    await closeWindow(await openWindowId())
    const window = await openWindowId()
    const c = newConversion('30', '75000')
    await confirmedConversion(c)
    await postDependent(c)
    await payee.waitFor((r) => r.method === 'POST' && r.body.transferId === c.transfer.transferId)
    await payeeAnswers(c, { transferState: 'COMMITTED', fulfilment: c.transfer.fulfilment, completedTimestamp: new Date().toISOString() })
    await fxp.waitFor((r) => r.method === 'PATCH' && r.path === `/fxTransfers/${c.commitRequestId}`)
    assert.equal((await closeWindow(window)).status, 200)

    const nets = (await call(sw.admin, 'GET', `/reports/settlementWindows/${window}`)).body as { participant: string; currency: string; netPosition: string }[]
    const net = (participant: string, currency: string) => nets.find((n) => n.participant === participant && n.currency === currency)?.netPosition
    assert.deepEqual([net(payer.name, 'USD'), net(fxp.name, 'USD'), net(fxp.name, 'TZS'), net(payee.name, 'TZS')], ['30', '-30', '75000', '-75000'])
    for (const [model, names] of [['DEFERRED_NET_USD', [payer.name, fxp.name]], ['DEFERRED_NET_TZS', [fxp.name, payee.name]]] as const) {
      const settlement = await call(sw.admin, 'POST', '/v2/settlements', { settlementModel: model, reason: 'fx day', settlementWindows: [{ id: window }] })
      assert.equal(settlement.status, 200, JSON.stringify(settlement.body))
      const amounts = settlement.body.participants.flatMap((p: { accounts: { netSettlementAmount: { amount: string } }[] }) => p.accounts.map((a) => Number(a.netSettlementAmount.amount)))
      assert.equal(amounts.length, names.length, `${model}: the two parties of its leg`)
      assert.equal(amounts.reduce((x: number, y: number) => x + y, 0), 0, `${model} nets to zero`)
    }

    const report = (await call(sw.admin, 'GET', `/reports/conversions?window=${window}`)).body
    assert.deepEqual(report.map((r: Record<string, unknown>) => [r.commitRequestId, r.initiatingFsp, r.fxp, r.sourceAmount, r.sourceCurrency, r.targetAmount, r.targetCurrency, r.rate, r.state]),
      [[c.commitRequestId, payer.name, fxp.name, '30', 'USD', '75000', 'TZS', '2500', 'COMMITTED']])
    const csv = await sw.admin.inject({ method: 'GET', url: `/reports/conversions?window=${window}&format=csv`, headers: { 'x-agora-operator': 'test-operator' } })
    assert.match(csv.body.split('\n')[1] ?? '', new RegExp(`^${c.commitRequestId},`))
  })
})
