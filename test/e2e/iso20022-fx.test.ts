// Foreign exchange in the ISO 20022 mode of FSPIOP v2.0, end to end over real HTTP, Kafka and MariaDB:
// an ISO20022 payer (USD) pays an FSPIOP payee (TZS) through an ISO20022 FXP, and is quoted by an FSPIOP
// FXP. The FX quote, the conversion, the FXP's confirmation and the PATCH that tells the FXP the outcome
// travel in ISO 20022 to and from the ISO participants, checked against the ISO document as received; the
// ledger's invariants after each test.
import { after, afterEach, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import type { SwitchHarness } from '../support/switch-harness.ts'
import type { ReceivedCallback, TestDfsp } from '../support/dfsp-server.ts'
import { call } from '../support/fixtures.ts'
import { startFxWorld, type FxWorld } from '../support/fx-world.ts'
import { fspiopHeaders, send } from '../support/fspiop-client.ts'
import { ilpTerms } from '../support/ilp-terms.ts'
import { ulid } from '../support/ulid.ts'
import { isoError, isoFulfil, isoFxQuoteRequest, isoFxQuoteTerms, isoFxTransfer, isoHeaders, isoTransfer, type IsoConversion } from '../support/iso-messages.ts'
import { assertSwitchInvariants } from '../support/switch-invariants.ts'
import { validateIsoBody } from '../../switch/fspiop/iso20022/iso-document.ts'
import { ISO_MESSAGES, type IsoMessage } from '../../switch/fspiop/iso20022/iso-translation.ts'
import { conditionOf } from '../../ledger/domain/fulfilment.ts'

let world: FxWorld
let sw: SwitchHarness
let payer: TestDfsp
let payee: TestDfsp
let fxp: TestDfsp
let fspiopFxp: TestDfsp
const ISO_TYPE = (resource: string) => `application/vnd.interoperability.iso20022.${resource}+json;version=2.0`
const FSPIOP_TYPE = (resource: string) => `application/vnd.interoperability.${resource}+json;version=2.0`
const expiration = () => new Date(Date.now() + 60_000).toISOString()
const stateOf = async (id: string) => (await sw.testDb.db('transfer').where({ id }).first())?.state

function isoValid(message: IsoMessage, body: unknown): void {
  const { path, method } = ISO_MESSAGES[message]
  const result = validateIsoBody(path, method, body)
  assert.ok(result.ok, `${message} is valid against the ISO document: ${JSON.stringify(!result.ok && result.errors)}`)
}
function assertIso(received: ReceivedCallback, message: IsoMessage, resource: string): void {
  assert.equal(received.headers['content-type'], ISO_TYPE(resource))
  isoValid(message, received.body)
}
const position = (name: string, currency: string) => world.position(name, currency)

before(async () => {
  world = await startFxWorld('iso20022-fx', { payer: 'isousdbank', payee: 'tzswallet', fxps: ['isofxp', 'fspiopfxp'] })
  ;({ sw, payer, payee } = world)
  ;[fxp, fspiopFxp] = world.fxps as [TestDfsp, TestDfsp]
  for (const name of [payer.name, fxp.name]) {
    assert.deepEqual((await call(sw.admin, 'PUT', `/participants/${name}/apiMode`, { apiMode: 'ISO20022' })).body, { name, apiMode: 'ISO20022' })
  }
})
afterEach(async () => assertSwitchInvariants(sw))
after(async () => world?.stop())

const payerCustomer = () => ({ msisdn: '255700000011', fsp: payer.name })
const payeeCustomer = () => ({ msisdn: '255700000012', fsp: payee.name })
const partyIdInfo = (p: { msisdn: string; fsp: string }) => ({ partyIdType: 'MSISDN', partyIdentifier: p.msisdn, fspId: p.fsp })

function newConversion(usd: string, tzs: string): IsoConversion {
  return {
    conversionRequestId: ulid(), conversionId: ulid(), determiningTransferId: ulid(), initiatingFsp: payer.name, fxp: fxp.name,
    source: { currency: 'USD', amount: usd }, target: { currency: 'TZS', amount: tzs }, expiration: expiration(),
  }
}

/** The FX quote and the conversion, in ISO 20022 on both sides, up to the FXP's RESERVED reaching the payer. */
async function reservedConversion(c: IsoConversion): Promise<{ commitRequestId: string; fulfilment: string }> {
  const request = isoFxQuoteRequest(c)
  isoValid('fxQuotes.post', request)
  assert.equal((await send(sw.apiUrl, 'POST', '/fxQuotes', isoHeaders('fxQuotes', payer.name, fxp.name, { accept: true }), request)).status, 202)
  const asked = await fxp.waitFor((r) => r.method === 'POST' && r.path === '/fxQuotes' && r.body.CdtTrfTxInf?.PmtId?.TxId === c.conversionRequestId)
  assertIso(asked, 'fxQuotes.post', 'fxQuotes')
  assert.deepEqual([asked.body.CdtTrfTxInf.PmtId.InstrId, asked.body.CdtTrfTxInf.PmtId.EndToEndId], [c.conversionId, c.determiningTransferId])
  assert.equal(asked.body.CdtTrfTxInf.UndrlygCstmrCdtTrf.InstdAmt.ActiveOrHistoricCurrencyAndAmount, c.source.amount)
  assert.equal(asked.body.GrpHdr.PmtInstrXpryDtTm, c.expiration)

  const fulfilment = randomBytes(32).toString('base64url')
  const condition = conditionOf(fulfilment)
  const terms = isoFxQuoteTerms(c, condition)
  isoValid('fxQuotes.put', terms)
  assert.equal((await send(sw.apiUrl, 'PUT', `/fxQuotes/${c.conversionRequestId}`, isoHeaders('fxQuotes', fxp.name, payer.name), terms)).status, 200)
  const quoted = await payer.waitFor((r) => r.method === 'PUT' && r.path === `/fxQuotes/${c.conversionRequestId}`)
  assertIso(quoted, 'fxQuotes.put', 'fxQuotes')
  assert.equal(quoted.body.CdtTrfTxInf.VrfctnOfTerms.Sh256Sgntr, condition)
  assert.deepEqual(quoted.body.CdtTrfTxInf.IntrBkSttlmAmt, { Ccy: 'TZS', ActiveCurrencyAndAmount: c.target.amount })

  const commitRequestId = ulid()
  const conversion = isoFxTransfer({ ...c, commitRequestId, condition })
  isoValid('fxTransfers.post', conversion)
  assert.equal((await send(sw.apiUrl, 'POST', '/fxTransfers', isoHeaders('fxTransfers', payer.name, fxp.name, { accept: true }), conversion)).status, 202)
  const forwarded = await fxp.waitFor((r) => r.method === 'POST' && r.path === '/fxTransfers' && r.body.CdtTrfTxInf?.PmtId?.TxId === commitRequestId)
  assertIso(forwarded, 'fxTransfers.post', 'fxTransfers')
  assert.equal(forwarded.body.CdtTrfTxInf.VrfctnOfTerms.Sh256Sgntr, condition)
  assert.equal(forwarded.headers['fspiop-source'], payer.name)
  assert.equal((await send(sw.apiUrl, 'PUT', `/fxTransfers/${commitRequestId}`, isoHeaders('fxTransfers', fxp.name, payer.name), isoFulfil(fulfilment, 'RESV'))).status, 200)
  const confirmed = await payer.waitFor((r) => r.method === 'PUT' && r.path === `/fxTransfers/${commitRequestId}`)
  assertIso(confirmed, 'fxTransfers.put', 'fxTransfers')
  assert.deepEqual([confirmed.body.TxInfAndSts.TxSts, confirmed.body.TxInfAndSts.ExctnConf], ['RESV', fulfilment])
  return { commitRequestId, fulfilment }
}

/** The dependent transfer, pacs.008 from the ISO payer to the FSPIOP payee, in the target currency. */
async function postDependent(c: IsoConversion) {
  const terms = ilpTerms({ payer: partyIdInfo(payerCustomer()), payee: partyIdInfo(payeeCustomer()), amount: { amount: c.target.amount, currency: 'TZS' } })
  const prepare = isoTransfer({ transferId: c.determiningTransferId, payer: payerCustomer(), payee: payeeCustomer(), amount: c.target.amount, currency: 'TZS', expiration: expiration(), ilpPacket: terms.ilpPacket })
  assert.equal((await send(sw.apiUrl, 'POST', '/transfers', isoHeaders('transfers', payer.name, payee.name, { accept: true }), prepare)).status, 202)
  const forwarded = await payee.waitFor((r) => r.method === 'POST' && r.path === '/transfers' && r.body.transferId === c.determiningTransferId)
  assert.equal(forwarded.headers['content-type'], FSPIOP_TYPE('transfers'))
  assert.equal(forwarded.body.condition, terms.condition)
  return terms
}

const payeeHeaders = () => {
  const headers = fspiopHeaders(payee.name, payer.name, '2.0', 'transfers')
  delete headers.accept
  return headers
}

describe('an ISO 20022 payer pays an FSPIOP payee through an ISO 20022 FXP', () => {
  test('FX quote, conversion and dependent transfer to COMMITTED: both legs commit, the FXP is told by a pacs.002 PATCH, amounts exact', async () => {
    const before = { payerUsd: await position(payer.name, 'USD'), fxpUsd: await position(fxp.name, 'USD'), fxpTzs: await position(fxp.name, 'TZS'), payeeTzs: await position(payee.name, 'TZS') }
    const c = newConversion('100', '250000.5')
    const { commitRequestId, fulfilment } = await reservedConversion(c)
    assert.deepEqual(await position(payer.name, 'USD'), [before.payerUsd[0], before.payerUsd[1] + 100])

    const terms = await postDependent(c)
    assert.deepEqual(await position(fxp.name, 'TZS'), [before.fxpTzs[0], before.fxpTzs[1] + 250000.5], 'the TZS leg is reserved against the FXP')
    const fulfil = { transferState: 'COMMITTED', fulfilment: terms.fulfilment, completedTimestamp: new Date().toISOString() }
    assert.equal((await send(sw.apiUrl, 'PUT', `/transfers/${c.determiningTransferId}`, payeeHeaders(), fulfil)).status, 200)
    const done = await payer.waitFor((r) => r.method === 'PUT' && r.path === `/transfers/${c.determiningTransferId}`)
    assertIso(done, 'transfers.put', 'transfers')
    assert.deepEqual([done.body.TxInfAndSts.TxSts, done.body.TxInfAndSts.ExctnConf], ['COMM', terms.fulfilment])
    const patch = await fxp.waitFor((r) => r.method === 'PATCH' && r.path === `/fxTransfers/${commitRequestId}`)
    assertIso(patch, 'fxTransfers.patch', 'fxTransfers')
    assert.equal(patch.body.TxInfAndSts.TxSts, 'COMM')

    assert.deepEqual([await stateOf(commitRequestId), await stateOf(c.determiningTransferId)], ['COMMITTED', 'COMMITTED'])
    assert.deepEqual(await position(payer.name, 'USD'), [before.payerUsd[0] + 100, before.payerUsd[1]])
    assert.deepEqual(await position(fxp.name, 'USD'), [before.fxpUsd[0] - 100, before.fxpUsd[1]])
    assert.deepEqual(await position(fxp.name, 'TZS'), [before.fxpTzs[0] + 250000.5, before.fxpTzs[1]])
    assert.deepEqual(await position(payee.name, 'TZS'), [before.payeeTzs[0] - 250000.5, before.payeeTzs[1]])
    assert.equal((await sw.testDb.db('transfer').where({ id: commitRequestId }).first()).amount, '100.0000')

    // GET /fxTransfers/{id}: the hub's answer to the ISO payer is pacs.002 with the state and the FXP's fulfilment.
    assert.equal((await send(sw.apiUrl, 'GET', `/fxTransfers/${commitRequestId}`, isoHeaders('fxTransfers', payer.name, fxp.name, { accept: true }))).status, 202)
    const got = await payer.waitFor((r) => r.method === 'PUT' && r.path === `/fxTransfers/${commitRequestId}` && r.body.TxInfAndSts?.TxSts === 'COMM')
    assertIso(got, 'fxTransfers.put', 'fxTransfers')
    assert.equal(got.body.TxInfAndSts.ExctnConf, fulfilment)
  })

  test('the ISO FXP rejects the conversion in pacs.002: the ISO payer gets the code, the USD reservation is released', async () => {
    const before = await position(payer.name, 'USD')
    const c = newConversion('40', '100000')
    const commitRequestId = ulid()
    const conversion = isoFxTransfer({ ...c, commitRequestId, condition: conditionOf(randomBytes(32).toString('base64url')) })
    assert.equal((await send(sw.apiUrl, 'POST', '/fxTransfers', isoHeaders('fxTransfers', payer.name, fxp.name, { accept: true }), conversion)).status, 202)
    await fxp.waitFor((r) => r.method === 'POST' && r.path === '/fxTransfers' && r.body.CdtTrfTxInf?.PmtId?.TxId === commitRequestId)
    assert.equal((await send(sw.apiUrl, 'PUT', `/fxTransfers/${commitRequestId}/error`, isoHeaders('fxTransfers', fxp.name, payer.name), isoError('5100', 'Rate no longer available'))).status, 200)
    const told = await payer.waitFor((r) => r.path === `/fxTransfers/${commitRequestId}/error`)
    assertIso(told, 'fxTransfers.putError', 'fxTransfers')
    assert.deepEqual(told.body.TxInfAndSts.StsRsnInf, { Rsn: { Prtry: '5100' }, AddtlInf: 'Rate no longer available' })
    assert.equal(await stateOf(commitRequestId), 'ABORTED')
    assert.deepEqual(await position(payer.name, 'USD'), before)
  })

  test('an ISO participant that sends FX messages as FSPIOP JSON is refused with 3001, as for transfers', async () => {
    const c = newConversion('1', '2500')
    const body = { commitRequestId: ulid(), determiningTransferId: c.determiningTransferId, initiatingFsp: payer.name, counterPartyFsp: fxp.name, sourceAmount: { amount: '1', currency: 'USD' }, targetAmount: { amount: '2500', currency: 'TZS' }, condition: conditionOf(randomBytes(32).toString('base64url')), expiration: expiration() }
    const refused = await send(sw.apiUrl, 'POST', '/fxTransfers', fspiopHeaders(payer.name, fxp.name, '2.0', 'fxTransfers'), body)
    assert.deepEqual([refused.status, refused.body.errorInformation.errorCode], [406, '3001'])
  })
})

describe('an FSPIOP FXP quotes an ISO 20022 payer', () => {
  test('its FSPIOP terms reach the ISO payer as ISO 20022 with the same condition and amounts; terms with charges ISO cannot carry are refused at once (3100)', async () => {
    const c = { ...newConversion('10', '25000'), fxp: fspiopFxp.name }
    assert.equal((await send(sw.apiUrl, 'POST', '/fxQuotes', isoHeaders('fxQuotes', payer.name, fspiopFxp.name, { accept: true }), isoFxQuoteRequest(c))).status, 202)
    const asked = await fspiopFxp.waitFor((r) => r.method === 'POST' && r.path === '/fxQuotes' && r.body.conversionRequestId === c.conversionRequestId)
    assert.equal(asked.headers['content-type'], FSPIOP_TYPE('fxQuotes'))
    assert.deepEqual(asked.body.conversionTerms, {
      conversionId: c.conversionId, determiningTransferId: c.determiningTransferId, initiatingFsp: payer.name, counterPartyFsp: fspiopFxp.name,
      amountType: 'SEND', sourceAmount: { currency: 'USD', amount: '10' }, targetAmount: { currency: 'TZS' }, expiration: c.expiration,
    })
    const headers = fspiopHeaders(fspiopFxp.name, payer.name, '2.0', 'fxQuotes')
    delete headers.accept
    const condition = conditionOf(randomBytes(32).toString('base64url'))
    const terms = { ...asked.body.conversionTerms, targetAmount: { currency: 'TZS', amount: '25000' } }
    const charges = [{ chargeType: 'fee', sourceAmount: { amount: '0.1', currency: 'USD' }, targetAmount: { amount: '250', currency: 'TZS' } }]
    const withCharges = await send(sw.apiUrl, 'PUT', `/fxQuotes/${c.conversionRequestId}`, headers, { condition, conversionTerms: { ...terms, charges } })
    assert.deepEqual([withCharges.status, withCharges.body.errorInformation.errorCode], [400, '3100'])
    assert.match(withCharges.body.errorInformation.errorDescription, /charges/)
    assert.equal((await send(sw.apiUrl, 'PUT', `/fxQuotes/${c.conversionRequestId}`, headers, { condition, conversionTerms: terms })).status, 200)
    const quoted = await payer.waitFor((r) => r.method === 'PUT' && r.path === `/fxQuotes/${c.conversionRequestId}`)
    assertIso(quoted, 'fxQuotes.put', 'fxQuotes')
    assert.equal(quoted.body.CdtTrfTxInf.VrfctnOfTerms.Sh256Sgntr, condition)
    assert.deepEqual(quoted.body.CdtTrfTxInf.IntrBkSttlmAmt, { Ccy: 'TZS', ActiveCurrencyAndAmount: '25000' })
    assert.equal(quoted.headers['fspiop-signature'], undefined)
  })
})
