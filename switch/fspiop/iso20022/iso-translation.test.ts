import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { ulid } from '../../../test/support/ulid.ts'
import { fspiopToIso, isoMessageOf, isoToFspiop, TranslationError, type IsoMessage } from './iso-translation.ts'
import { validateIsoBody } from './iso-document.ts'
import { ISO_MESSAGES } from './iso-translation.ts'
import { ilpTerms } from '../../../test/support/ilp-terms.ts'

const payer = { partyIdType: 'MSISDN', partyIdentifier: '255999999', fspId: 'payerfsp' }
const payee = { partyIdType: 'MSISDN', partyIdentifier: '255123456', fspId: 'payeefsp' }
const amount = { amount: '1234.5678', currency: 'TZS' }
const terms = ilpTerms({ payer, payee, amount })
const expiration = new Date(Date.now() + 60_000).toISOString()
const ctx = { source: 'payeefsp', destination: 'payerfsp', id: ulid(), party: { Type: 'MSISDN', ID: '255123456' } }

function assertValidIso(message: IsoMessage, body: unknown): void {
  const { path, method } = ISO_MESSAGES[message]
  const result = validateIsoBody(path, method, body)
  assert.ok(result.ok, `${message}: ${JSON.stringify(!result.ok && result.errors)}`)
}

async function roundTrip(message: IsoMessage, body: Record<string, unknown>, c = ctx) {
  const iso = await fspiopToIso(message, body, c)
  assertValidIso(message, iso)
  return { iso, back: await isoToFspiop(message, iso) }
}

describe('FSPIOP to ISO 20022 and back, valid against the ISO document', () => {
  test('parties PUT (acmt.024) keeps the party id, its DFSP and name', async () => {
    const body = { party: { partyIdInfo: payee, name: 'Amina Juma' } }
    const { iso, back } = await roundTrip('parties.put', body)
    assert.equal(iso.Assgnmt.Assgnr.Agt.FinInstnId.Othr.Id, 'payeefsp')
    assert.equal(iso.Assgnmt.Assgne.Agt.FinInstnId.Othr.Id, 'payerfsp')
    assert.deepEqual(back.party.partyIdInfo, payee)
    assert.equal(back.party.name, 'Amina Juma')
  })

  test('parties PUT error (acmt.024) keeps the error code', async () => {
    const { back } = await roundTrip('parties.putError', { errorInformation: { errorCode: '3204', errorDescription: 'Party not found' } })
    assert.equal(back.errorInformation.errorCode, '3204')
  })

  test('quotes POST (pacs.081) keeps ids, parties, amount and amount type', async () => {
    const body = {
      quoteId: ulid(), transactionId: ulid(), payer: { partyIdInfo: payer }, payee: { partyIdInfo: payee }, amountType: 'RECEIVE', amount,
      transactionType: { scenario: 'TRANSFER', initiator: 'PAYER', initiatorType: 'CONSUMER' }, expiration,
    }
    const { iso, back } = await roundTrip('quotes.post', body)
    assert.equal(iso.CdtTrfTxInf.IntrBkSttlmAmt.ActiveCurrencyAndAmount, '1234.5678')
    assert.deepEqual([back.quoteId, back.transactionId, back.amountType, back.expiration], [body.quoteId, body.transactionId, 'RECEIVE', expiration])
    assert.deepEqual(back.amount, amount)
    assert.deepEqual(back.payer.partyIdInfo, payer)
    assert.deepEqual(back.payee.partyIdInfo, payee)
  })

  test('quotes PUT (pacs.082) keeps the amounts, the ILP packet and the condition exactly', async () => {
    const body = { transferAmount: amount, payeeReceiveAmount: { amount: '1230', currency: 'TZS' }, payeeFspFee: { amount: '4.5678', currency: 'TZS' }, expiration, ilpPacket: terms.ilpPacket, condition: terms.condition }
    const { iso, back } = await roundTrip('quotes.put', body)
    assert.equal(iso.CdtTrfTxInf.PmtId.TxId, ctx.id)
    assert.equal(iso.CdtTrfTxInf.Dbtr.Id.PrvtId.Othr.Id, payer.partyIdentifier, 'the debtor comes from the transaction in the ILP packet')
    assert.deepEqual(back, body)
  })

  test('quotes PUT error (pacs.002) keeps code and description', async () => {
    const body = { errorInformation: { errorCode: '5101', errorDescription: 'Payee transaction limit reached' } }
    assert.deepEqual((await roundTrip('quotes.putError', body)).back, body)
  })

  test('transfers POST (pacs.008) keeps the transfer id, DFSPs, amount, expiry, ILP packet and condition exactly', async () => {
    const body = { transferId: ulid(), payerFsp: 'payerfsp', payeeFsp: 'payeefsp', amount, ilpPacket: terms.ilpPacket, condition: terms.condition, expiration }
    const { iso, back } = await roundTrip('transfers.post', body)
    assert.equal(iso.CdtTrfTxInf.DbtrAgt.FinInstnId.Othr.Id, 'payerfsp')
    assert.deepEqual(back, body)
  })

  test('transfers PUT (pacs.002) keeps state, fulfilment and time exactly', async () => {
    const body = { transferState: 'COMMITTED', fulfilment: terms.fulfilment, completedTimestamp: new Date().toISOString() }
    const { iso, back } = await roundTrip('transfers.put', body)
    assert.equal(iso.TxInfAndSts.TxSts, 'COMM')
    assert.deepEqual(back, body)
  })

  test('transfers PATCH (pacs.002) to a payee that answered RESERVED keeps the final state', async () => {
    const body = { transferState: 'ABORTED', completedTimestamp: new Date().toISOString() }
    assert.deepEqual((await roundTrip('transfers.patch', body)).back, body)
  })

  test('transfers PUT error (pacs.002) keeps code and description', async () => {
    const body = { errorInformation: { errorCode: '4001', errorDescription: 'Payer FSP insufficient liquidity' } }
    assert.deepEqual((await roundTrip('transfers.putError', body)).back, body)
  })
})

test('a pacs.002 error without AddtlInf reads as the FSPIOP error with the code\'s standard description', async () => {
  const iso = { GrpHdr: { MsgId: ulid(), CreDtTm: new Date().toISOString() }, TxInfAndSts: { StsRsnInf: { Rsn: { Prtry: '5104' } } } }
  assert.deepEqual(await isoToFspiop('transfers.putError', iso), { errorInformation: { errorCode: '5104', errorDescription: 'Payee rejected transaction' } })
})

describe('what cannot be translated is refused, never altered', () => {
  test('an ILP packet whose condition is not the message condition', async () => {
    const other = ilpTerms({ payer, payee, amount })
    const body = { transferId: ulid(), payerFsp: 'payerfsp', payeeFsp: 'payeefsp', amount, ilpPacket: terms.ilpPacket, condition: other.condition, expiration }
    await assert.rejects(fspiopToIso('transfers.post', body, ctx), (e) => e instanceof TranslationError && /executionCondition/.test(e.message))
  })

  test('an ILP packet that is not ILPv4 (ISO carries the condition only inside it)', async () => {
    const body = { transferId: ulid(), payerFsp: 'payerfsp', payeeFsp: 'payeefsp', amount, ilpPacket: 'AQAAAA', condition: terms.condition, expiration }
    await assert.rejects(fspiopToIso('transfers.post', body, ctx), TranslationError)
  })

  test('an FSPIOP amount with more integer digits than ISO allows with four decimals', async () => {
    const big = { amount: '123456789012345678.1234', currency: 'TZS' }
    const body = { transferId: ulid(), payerFsp: 'payerfsp', payeeFsp: 'payeefsp', amount: big, ilpPacket: terms.ilpPacket, condition: terms.condition, expiration }
    await assert.rejects(fspiopToIso('transfers.post', body, ctx), (e) => e instanceof TranslationError && /not valid/.test(e.message))
  })

  test('an ISO body that does not follow the ISO document', async () => {
    await assert.rejects(isoToFspiop('transfers.post', { GrpHdr: { MsgId: 'x' } }), (e) => e instanceof TranslationError && /ISO 20022 document/.test(e.message))
  })
})

describe('which ISO message a request is', () => {
  test('paths and methods of the ISO document', () => {
    assert.equal(isoMessageOf('PUT', '/parties/MSISDN/123'), 'parties.put')
    assert.equal(isoMessageOf('PUT', '/parties/MSISDN/123/sub'), 'parties.put')
    assert.equal(isoMessageOf('PUT', '/parties/MSISDN/123/error'), 'parties.putError')
    assert.equal(isoMessageOf('PUT', '/parties/MSISDN/123/sub/error'), 'parties.putError')
    assert.equal(isoMessageOf('POST', '/quotes'), 'quotes.post')
    assert.equal(isoMessageOf('PUT', '/quotes/q1/error'), 'quotes.putError')
    assert.equal(isoMessageOf('PATCH', '/transfers/t1'), 'transfers.patch')
    assert.equal(isoMessageOf('PUT', '/participants/MSISDN/123'), undefined)
    assert.equal(isoMessageOf('GET', '/transfers/t1'), undefined)
  })
})
