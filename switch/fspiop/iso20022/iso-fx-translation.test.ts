// The ISO 20022 form of /fxQuotes and /fxTransfers (FSPIOP v2.0 foreign exchange), both ways, with
// Mojaloop's transformer, checked against the ISO document: what the ledger decides on (ids, amounts,
// currencies, condition, fulfilment, states, error codes) survives every round trip exactly.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { ulid } from '../../../test/support/ulid.ts'
import { conditionOf } from '../../../ledger/domain/fulfilment.ts'
import { fspiopToIso, ISO_MESSAGES, isoMessageOf, isoToFspiop, TranslationError, type IsoMessage } from './iso-translation.ts'
import { validateIsoBody } from './iso-document.ts'
import { inRecipientMode } from './iso-wire.ts'

const fulfilment = randomBytes(32).toString('base64url')
const condition = conditionOf(fulfilment)
const expiration = new Date(Date.now() + 60_000).toISOString()
const conversionRequestId = ulid()
const ctx = { source: 'fxp', destination: 'payerfsp', id: conversionRequestId }
const terms = {
  conversionId: ulid(), determiningTransferId: ulid(), initiatingFsp: 'payerfsp', counterPartyFsp: 'fxp', amountType: 'SEND',
  sourceAmount: { amount: '100.25', currency: 'USD' }, targetAmount: { amount: '250625.1234', currency: 'TZS' }, expiration,
}

function assertValidIso(message: IsoMessage, body: unknown): void {
  const { path, method } = ISO_MESSAGES[message]
  const result = validateIsoBody(path, method, body)
  assert.ok(result.ok, `${message}: ${JSON.stringify(!result.ok && result.errors)}`)
}

async function roundTrip(message: IsoMessage, body: Record<string, unknown>) {
  const iso = await fspiopToIso(message, body, ctx)
  assertValidIso(message, iso)
  return { iso, back: await isoToFspiop(message, iso) }
}

describe('fxQuotes in ISO 20022 and back, valid against the ISO document', () => {
  test('POST (SEND) keeps the ids, FSPs, source amount, currencies, amount type and expiry; the target amount stays for the FXP to fill in', async () => {
    const body = { conversionRequestId, conversionTerms: { ...terms, targetAmount: { currency: 'TZS' } } }
    const { iso, back } = await roundTrip('fxQuotes.post', body)
    assert.deepEqual([iso.CdtTrfTxInf.PmtId.TxId, iso.CdtTrfTxInf.PmtId.InstrId, iso.CdtTrfTxInf.PmtId.EndToEndId], [conversionRequestId, terms.conversionId, terms.determiningTransferId])
    assert.equal(iso.GrpHdr.PmtInstrXpryDtTm, expiration)
    assert.deepEqual(back, body)
  })

  test('POST (RECEIVE) keeps the target amount and leaves the source amount to the FXP', async () => {
    const body = { conversionRequestId, conversionTerms: { ...terms, amountType: 'RECEIVE', sourceAmount: { currency: 'USD' } } }
    assert.deepEqual((await roundTrip('fxQuotes.post', body)).back, body)
  })

  test('PUT keeps the conversion request id, both amounts, the terms and the condition exactly', async () => {
    const body = { condition, conversionTerms: terms }
    const { iso, back } = await roundTrip('fxQuotes.put', body)
    assert.equal(iso.CdtTrfTxInf.PmtId.TxId, conversionRequestId)
    assert.equal(iso.CdtTrfTxInf.VrfctnOfTerms.Sh256Sgntr, condition)
    assert.deepEqual(back, body)
  })

  test('PUT error keeps code and description', async () => {
    const body = { errorInformation: { errorCode: '3100', errorDescription: 'Unsupported currency pair' } }
    assert.deepEqual((await roundTrip('fxQuotes.putError', body)).back, body)
  })

  test('terms with charges are refused, never sent without them (ISO has no element for them); empty charges are nothing to lose', async () => {
    const charges = [{ chargeType: 'fee', sourceAmount: { amount: '1', currency: 'USD' }, targetAmount: { amount: '2500', currency: 'TZS' } }]
    await assert.rejects(fspiopToIso('fxQuotes.put', { condition, conversionTerms: { ...terms, charges } }, ctx), (e) => e instanceof TranslationError && /charges/.test(e.message))
    const { back } = await roundTrip('fxQuotes.put', { condition, conversionTerms: { ...terms, charges: [] } })
    assert.deepEqual(back, { condition, conversionTerms: terms })
  })
})

describe('fxTransfers in ISO 20022 and back, valid against the ISO document', () => {
  const commitRequestId = ulid()
  test('POST keeps the commit request id, determining transfer, FSPs, both amounts, condition and expiry exactly', async () => {
    const body = {
      commitRequestId, determiningTransferId: terms.determiningTransferId, initiatingFsp: 'payerfsp', counterPartyFsp: 'fxp',
      sourceAmount: terms.sourceAmount, targetAmount: terms.targetAmount, condition, expiration,
    }
    const { iso, back } = await roundTrip('fxTransfers.post', body)
    assert.equal(iso.CdtTrfTxInf.PmtId.TxId, commitRequestId)
    assert.equal(iso.CdtTrfTxInf.IntrBkSttlmAmt.ActiveCurrencyAndAmount, '250625.1234')
    assert.deepEqual(back, body)
  })

  test('PUT keeps the state, fulfilment and time exactly', async () => {
    const body = { conversionState: 'RESERVED', fulfilment, completedTimestamp: new Date().toISOString() }
    const { iso, back } = await roundTrip('fxTransfers.put', body)
    assert.equal(iso.TxInfAndSts.TxSts, 'RESV')
    assert.deepEqual(back, body)
  })

  test('PATCH to the FXP keeps the final state (COMMITTED and ABORTED)', async () => {
    for (const [state, iso] of [['COMMITTED', 'COMM'], ['ABORTED', 'ABOR']]) {
      const body = { conversionState: state, completedTimestamp: new Date().toISOString() }
      const trip = await roundTrip('fxTransfers.patch', body)
      assert.equal(trip.iso.TxInfAndSts.TxSts, iso)
      assert.deepEqual(trip.back, body)
    }
  })

  test('PUT error keeps code and description; without AddtlInf the description is the code\'s standard text', async () => {
    const body = { errorInformation: { errorCode: '4001', errorDescription: 'Payer FSP insufficient liquidity' } }
    assert.deepEqual((await roundTrip('fxTransfers.putError', body)).back, body)
    const bare = { GrpHdr: { MsgId: ulid(), CreDtTm: new Date().toISOString() }, TxInfAndSts: { StsRsnInf: { Rsn: { Prtry: '5104' } } } }
    assert.deepEqual(await isoToFspiop('fxTransfers.putError', bare), { errorInformation: { errorCode: '5104', errorDescription: 'Payee rejected transaction' } })
  })

  test('an ISO fxTransfers POST that does not follow the ISO document is refused', async () => {
    await assert.rejects(isoToFspiop('fxTransfers.post', { GrpHdr: { MsgId: 'x' } }), (e) => e instanceof TranslationError && /ISO 20022 document/.test(e.message))
  })
})

describe('which ISO message an FX request is, and how it goes on the wire', () => {
  test('paths and methods of the ISO document', () => {
    assert.equal(isoMessageOf('POST', '/fxQuotes'), 'fxQuotes.post')
    assert.equal(isoMessageOf('PUT', '/fxQuotes/q1'), 'fxQuotes.put')
    assert.equal(isoMessageOf('PUT', '/fxQuotes/q1/error'), 'fxQuotes.putError')
    assert.equal(isoMessageOf('POST', '/fxTransfers'), 'fxTransfers.post')
    assert.equal(isoMessageOf('PUT', '/fxTransfers/c1'), 'fxTransfers.put')
    assert.equal(isoMessageOf('PATCH', '/fxTransfers/c1'), 'fxTransfers.patch')
    assert.equal(isoMessageOf('PUT', '/fxTransfers/c1/error'), 'fxTransfers.putError')
    assert.equal(isoMessageOf('GET', '/fxTransfers/c1'), undefined)
  })

  test('an ISO20022 FXP gets the PATCH of a committed conversion in pacs.002 with the fxTransfers ISO content type', async () => {
    const commitRequestId = ulid()
    const wire = await inRecipientMode({
      method: 'PATCH', path: `/fxTransfers/${commitRequestId}`, params: { commitRequestId }, resource: 'fxTransfers', source: 'Hub', destination: 'fxp',
      body: { conversionState: 'COMMITTED', completedTimestamp: new Date().toISOString() },
    }, 'ISO20022')
    assert.ok(wire.ok)
    assert.equal((wire.body as { TxInfAndSts: { TxSts: string } }).TxInfAndSts.TxSts, 'COMM')
    assert.deepEqual(wire.headers, { 'content-type': 'application/vnd.interoperability.iso20022.fxTransfers+json;version=2.0' })
  })

  test('an ISO20022 payer gets the FXP\'s quote with the conversion request id of the callback path', async () => {
    const wire = await inRecipientMode({
      method: 'PUT', path: `/fxQuotes/${conversionRequestId}`, params: { ID: conversionRequestId }, resource: 'fxQuotes', source: 'fxp', destination: 'payerfsp', body: { condition, conversionTerms: terms },
    }, 'ISO20022')
    assert.ok(wire.ok)
    assert.equal((wire.body as { CdtTrfTxInf: { PmtId: { TxId: string } } }).CdtTrfTxInf.PmtId.TxId, conversionRequestId)
  })
})
