// The ISO 20022 mode of FSPIOP v2.0 end to end over real HTTP, Kafka and MariaDB: a DFSP registered as
// ISO20022 and one speaking FSPIOP pay each other through Agora, each in its own form; what each
// receives is checked against its own API document, and the ledger's invariants after each test.
import { after, afterEach, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { Decimal } from 'decimal.js'
import type { SwitchHarness } from '../support/switch-harness.ts'
import { startSwitchWithDfsps } from '../support/dfsp-pair.ts'
import type { ReceivedCallback, TestDfsp } from '../support/dfsp-server.ts'
import { call } from '../support/fixtures.ts'
import { fspiopHeaders, send } from '../support/fspiop-client.ts'
import { ilpTerms } from '../support/ilp-terms.ts'
import { ulid } from '../support/ulid.ts'
import { isoError, isoFulfil, isoHeaders, isoPartyError, isoPartyFound, isoQuoteRequest, isoQuoteTerms, isoTransfer, type IsoParty } from '../support/iso-messages.ts'
import { validateIsoBody } from '../../switch/fspiop/iso20022/iso-document.ts'
import { ISO_MESSAGES, type IsoMessage } from '../../switch/fspiop/iso20022/iso-translation.ts'
import { assertSwitchInvariants } from '../support/switch-invariants.ts'

let sw: SwitchHarness
let iso: TestDfsp
let fspiop: TestDfsp
let stop: () => Promise<void>
const ISO_TYPE = (resource: string) => `application/vnd.interoperability.iso20022.${resource}+json;version=2.0`
const FSPIOP_TYPE = (resource: string) => `application/vnd.interoperability.${resource}+json;version=2.0`
const v2 = (resource: string, source: string, destination?: string, request = true) => {
  const headers = fspiopHeaders(source, destination, '2.0', resource)
  if (!request) delete headers.accept
  return headers
}
// A GET carries Content-Type too: the API definition requires it on every request, as Mojaloop's header
// validation does.
const isoGetHeaders = (resource: string, source: string) => isoHeaders(resource, source, undefined, { accept: true })
const expiration = () => new Date(Date.now() + 60_000).toISOString()
const stateOf = async (id: string) => (await sw.testDb.db('transfer').where({ id }).first())?.state
const position = async (name: string) => (await call(sw.admin, 'GET', `/participants/${name}/accounts`)).body.find((a: any) => a.ledgerAccountType === 'POSITION')

function assertIso(received: ReceivedCallback, message: IsoMessage, resource: string): void {
  assert.equal(received.headers['content-type'], ISO_TYPE(resource))
  const { path, method } = ISO_MESSAGES[message]
  const result = validateIsoBody(path, method, received.body)
  assert.ok(result.ok, `${message} as received is valid against the ISO document: ${JSON.stringify(!result.ok && result.errors)}`)
}

before(async () => {
  ;({ sw, payer: iso, payee: fspiop, stop } = await startSwitchWithDfsps('iso20022', ['isofsp', 'fspiopfsp'], { ndc: '1000', fundsIn: '5000' }))
  assert.deepEqual((await call(sw.admin, 'PUT', '/participants/isofsp/apiMode', { apiMode: 'ISO20022' })).body, { name: 'isofsp', apiMode: 'ISO20022' })
  assert.equal((await call(sw.admin, 'GET', '/participants/fspiopfsp/apiMode')).body.apiMode, 'FSPIOP')
  // /participants is not in the ISO document: both register their customers with FSPIOP content types.
  for (const [fsp, msisdn] of [['isofsp', '255700000001'], ['fspiopfsp', '255700000002']] as const) {
    assert.equal((await send(sw.apiUrl, 'POST', `/participants/MSISDN/${msisdn}`, v2('participants', fsp), { fspId: fsp, currency: 'USD' })).status, 202)
  }
})
afterEach(async () => assertSwitchInvariants(sw))
after(async () => stop())

const isoCustomer: IsoParty = { msisdn: '255700000001', fsp: 'isofsp', name: 'Baraka Mwangi' }
const fspiopCustomer: IsoParty = { msisdn: '255700000002', fsp: 'fspiopfsp' }
const partyIdInfo = (p: IsoParty) => ({ partyIdType: 'MSISDN', partyIdentifier: p.msisdn, fspId: p.fsp })

describe('an ISO 20022 payer pays an FSPIOP payee', () => {
  test('lookup, quote and transfer to COMMITTED, each side in its own form, condition and amounts exact', async () => {
    // Lookup: the ISO payer asks with an ISO Accept; the FSPIOP payee is asked and answers in FSPIOP.
    assert.equal((await send(sw.apiUrl, 'GET', `/parties/MSISDN/${fspiopCustomer.msisdn}`, isoGetHeaders('parties', 'isofsp'))).status, 202)
    const asked = await fspiop.waitFor((c) => c.method === 'GET' && c.path === `/parties/MSISDN/${fspiopCustomer.msisdn}`)
    assert.equal(asked.headers.accept, FSPIOP_TYPE('parties'))
    const party = { party: { partyIdInfo: partyIdInfo(fspiopCustomer), name: 'Neema Ally' } }
    assert.equal((await send(sw.apiUrl, 'PUT', `/parties/MSISDN/${fspiopCustomer.msisdn}`, v2('parties', 'fspiopfsp', 'isofsp', false), party)).status, 200)
    const found = await iso.waitFor((c) => c.method === 'PUT' && c.path === `/parties/MSISDN/${fspiopCustomer.msisdn}`)
    assertIso(found, 'parties.put', 'parties')
    assert.equal(found.body.Rpt.UpdtdPtyAndAcctId.Pty.Id.PrvtId.Othr.Id, fspiopCustomer.msisdn)
    assert.equal(found.body.Rpt.UpdtdPtyAndAcctId.Agt.FinInstnId.Othr.Id, 'fspiopfsp')

    // Quote: pacs.081 in, FSPIOP POST /quotes to the payee; its FSPIOP answer goes back as pacs.082.
    const quoteId = ulid()
    const transactionId = ulid()
    const quote = isoQuoteRequest({ quoteId, transactionId, payer: isoCustomer, payee: fspiopCustomer, amount: '75.25', currency: 'USD', expiration: expiration() })
    assert.equal((await send(sw.apiUrl, 'POST', '/quotes', isoHeaders('quotes', 'isofsp', 'fspiopfsp', { accept: true }), quote)).status, 202)
    const quoted = await fspiop.waitFor((c) => c.method === 'POST' && c.path === '/quotes' && c.body.quoteId === quoteId)
    assert.equal(quoted.headers['content-type'], FSPIOP_TYPE('quotes'))
    assert.deepEqual([quoted.body.transactionId, quoted.body.amount, quoted.body.amountType], [transactionId, { amount: '75.25', currency: 'USD' }, 'SEND'])
    assert.deepEqual(quoted.body.payer.partyIdInfo, partyIdInfo(isoCustomer))
    const terms = ilpTerms({ quoteId, transactionId, payer: partyIdInfo(isoCustomer), payee: partyIdInfo(fspiopCustomer), amount: { amount: '75.25', currency: 'USD' } })
    const answer = { transferAmount: { amount: '75.25', currency: 'USD' }, expiration: expiration(), ilpPacket: terms.ilpPacket, condition: terms.condition }
    assert.equal((await send(sw.apiUrl, 'PUT', `/quotes/${quoteId}`, v2('quotes', 'fspiopfsp', 'isofsp', false), answer)).status, 200)
    const offered = await iso.waitFor((c) => c.method === 'PUT' && c.path === `/quotes/${quoteId}`)
    assertIso(offered, 'quotes.put', 'quotes')
    assert.equal(offered.body.CdtTrfTxInf.VrfctnOfTerms.IlpV4PrepPacket, terms.ilpPacket)
    assert.equal(offered.body.CdtTrfTxInf.IntrBkSttlmAmt.ActiveCurrencyAndAmount, '75.25')

    // Transfer: pacs.008 in, FSPIOP prepare to the payee with the same condition; its fulfil goes back as pacs.002.
    const transferId = ulid()
    const prepare = isoTransfer({ transferId, payer: isoCustomer, payee: fspiopCustomer, amount: '75.25', currency: 'USD', expiration: expiration(), ilpPacket: offered.body.CdtTrfTxInf.VrfctnOfTerms.IlpV4PrepPacket })
    assert.equal((await send(sw.apiUrl, 'POST', '/transfers', isoHeaders('transfers', 'isofsp', 'fspiopfsp', { accept: true }), prepare)).status, 202)
    const forwarded = await fspiop.waitFor((c) => c.method === 'POST' && c.path === '/transfers' && c.body.transferId === transferId)
    assert.equal(forwarded.headers['content-type'], FSPIOP_TYPE('transfers'))
    assert.equal(forwarded.headers['fspiop-signature'], undefined)
    assert.deepEqual([forwarded.body.condition, forwarded.body.ilpPacket, forwarded.body.amount], [terms.condition, terms.ilpPacket, { amount: '75.25', currency: 'USD' }])
    assert.deepEqual([forwarded.body.payerFsp, forwarded.body.payeeFsp], ['isofsp', 'fspiopfsp'])
    const fulfil = { transferState: 'COMMITTED', fulfilment: terms.fulfilment, completedTimestamp: new Date().toISOString() }
    assert.equal((await send(sw.apiUrl, 'PUT', `/transfers/${transferId}`, v2('transfers', 'fspiopfsp', 'isofsp', false), fulfil)).status, 200)
    const done = await iso.waitFor((c) => c.method === 'PUT' && c.path === `/transfers/${transferId}`)
    assertIso(done, 'transfers.put', 'transfers')
    assert.deepEqual([done.body.TxInfAndSts.TxSts, done.body.TxInfAndSts.ExctnConf], ['COMM', terms.fulfilment])
    assert.equal(await stateOf(transferId), 'COMMITTED')
    assert.equal((await sw.testDb.db('transfer').where({ id: transferId }).first()).amount, '75.2500')
  })
})

describe('an FSPIOP payer pays an ISO 20022 payee', () => {
  test('lookup, quote and transfer to COMMITTED, each side in its own form, condition and amounts exact', async () => {
    const before = await position('isofsp')
    assert.equal((await send(sw.apiUrl, 'GET', `/parties/MSISDN/${isoCustomer.msisdn}`, v2('parties', 'fspiopfsp'))).status, 202)
    const asked = await iso.waitFor((c) => c.method === 'GET' && c.path === `/parties/MSISDN/${isoCustomer.msisdn}`)
    assert.equal(asked.headers.accept, ISO_TYPE('parties'))
    const put = await send(sw.apiUrl, 'PUT', `/parties/MSISDN/${isoCustomer.msisdn}`, isoHeaders('parties', 'isofsp', 'fspiopfsp'), isoPartyFound(isoCustomer, 'fspiopfsp', 'USD'))
    assert.equal(put.status, 200, JSON.stringify(put.body))
    const found = await fspiop.waitFor((c) => c.method === 'PUT' && c.path === `/parties/MSISDN/${isoCustomer.msisdn}`)
    assert.equal(found.headers['content-type'], FSPIOP_TYPE('parties'))
    assert.deepEqual(found.body.party.partyIdInfo, partyIdInfo(isoCustomer))

    const quoteId = ulid()
    const transactionId = ulid()
    const quote = {
      quoteId, transactionId, amountType: 'SEND', amount: { amount: '0.99', currency: 'USD' }, expiration: expiration(),
      payer: { partyIdInfo: partyIdInfo(fspiopCustomer) }, payee: { partyIdInfo: partyIdInfo(isoCustomer) },
      transactionType: { scenario: 'TRANSFER', initiator: 'PAYER', initiatorType: 'CONSUMER' },
    }
    const posted = await send(sw.apiUrl, 'POST', '/quotes', v2('quotes', 'fspiopfsp', 'isofsp'), quote)
    assert.equal(posted.status, 202, JSON.stringify(posted.body))
    const quoted = await iso.waitFor((c) => c.method === 'POST' && c.path === '/quotes' && c.body.CdtTrfTxInf?.PmtId?.TxId === quoteId)
    assertIso(quoted, 'quotes.post', 'quotes')
    assert.equal(quoted.body.CdtTrfTxInf.IntrBkSttlmAmt.ActiveCurrencyAndAmount, '0.99')
    const terms = ilpTerms({ quoteId, transactionId, payer: partyIdInfo(fspiopCustomer), payee: partyIdInfo(isoCustomer), amount: { amount: '0.99', currency: 'USD' } })
    const answer = isoQuoteTerms({ quoteId, payer: fspiopCustomer, payee: isoCustomer, amount: '0.99', currency: 'USD', expiration: expiration(), ilpPacket: terms.ilpPacket })
    assert.equal((await send(sw.apiUrl, 'PUT', `/quotes/${quoteId}`, isoHeaders('quotes', 'isofsp', 'fspiopfsp'), answer)).status, 200)
    const offered = await fspiop.waitFor((c) => c.method === 'PUT' && c.path === `/quotes/${quoteId}`)
    assert.deepEqual([offered.body.condition, offered.body.ilpPacket, offered.body.transferAmount], [terms.condition, terms.ilpPacket, { amount: '0.99', currency: 'USD' }])

    const transferId = ulid()
    const prepare = { transferId, payerFsp: 'fspiopfsp', payeeFsp: 'isofsp', amount: { amount: '0.99', currency: 'USD' }, ilpPacket: offered.body.ilpPacket, condition: offered.body.condition, expiration: expiration() }
    assert.equal((await send(sw.apiUrl, 'POST', '/transfers', v2('transfers', 'fspiopfsp', 'isofsp'), prepare)).status, 202)
    const forwarded = await iso.waitFor((c) => c.method === 'POST' && c.path === '/transfers' && c.body.CdtTrfTxInf?.PmtId?.TxId === transferId)
    assertIso(forwarded, 'transfers.post', 'transfers')
    assert.equal(forwarded.body.CdtTrfTxInf.VrfctnOfTerms.IlpV4PrepPacket, terms.ilpPacket)
    assert.equal(forwarded.body.CdtTrfTxInf.Dbtr.Id.PrvtId.Othr.Id, fspiopCustomer.msisdn, 'the debtor, from the transaction in the ILP packet')
    assert.equal((await send(sw.apiUrl, 'PUT', `/transfers/${transferId}`, isoHeaders('transfers', 'isofsp', 'fspiopfsp'), isoFulfil(terms.fulfilment))).status, 200)
    const done = await fspiop.waitFor((c) => c.method === 'PUT' && c.path === `/transfers/${transferId}`)
    assert.deepEqual([done.body.transferState, done.body.fulfilment], ['COMMITTED', terms.fulfilment])
    assert.equal(await stateOf(transferId), 'COMMITTED')
    assert.equal(new Decimal((await position('isofsp')).value).minus(before.value).toString(), '-0.99', 'the ISO payee is credited exactly 0.99')
  })
})

describe('errors in ISO 20022', () => {
  test('an ISO payee rejects with pacs.002: the FSPIOP payer gets its code, the reservation is released', async () => {
    const terms = ilpTerms({ payer: partyIdInfo(fspiopCustomer), payee: partyIdInfo(isoCustomer), amount: { amount: '10', currency: 'USD' } })
    const transferId = ulid()
    const prepare = { transferId, payerFsp: 'fspiopfsp', payeeFsp: 'isofsp', amount: { amount: '10', currency: 'USD' }, ilpPacket: terms.ilpPacket, condition: terms.condition, expiration: expiration() }
    await send(sw.apiUrl, 'POST', '/transfers', v2('transfers', 'fspiopfsp', 'isofsp'), prepare)
    await iso.waitFor((c) => c.method === 'POST' && c.body.CdtTrfTxInf?.PmtId?.TxId === transferId)
    assert.equal((await send(sw.apiUrl, 'PUT', `/transfers/${transferId}/error`, isoHeaders('transfers', 'isofsp', 'fspiopfsp'), isoError('5104', 'Payee rejected the transfer'))).status, 200)
    const error = await fspiop.waitFor((c) => c.path === `/transfers/${transferId}/error`)
    assert.deepEqual(error.body.errorInformation, { errorCode: '5104', errorDescription: 'Payee rejected the transfer' })
    assert.equal(await stateOf(transferId), 'ABORTED')
  })

  test('the hub refuses an ISO payer over its net debit cap: the 4200 error callback is pacs.002', async () => {
    const terms = ilpTerms({ payer: partyIdInfo(isoCustomer), payee: partyIdInfo(fspiopCustomer), amount: { amount: '1001', currency: 'USD' } })
    const transferId = ulid()
    const prepare = isoTransfer({ transferId, payer: isoCustomer, payee: fspiopCustomer, amount: '1001', currency: 'USD', expiration: expiration(), ilpPacket: terms.ilpPacket })
    assert.equal((await send(sw.apiUrl, 'POST', '/transfers', isoHeaders('transfers', 'isofsp', 'fspiopfsp', { accept: true }), prepare)).status, 202)
    const error = await iso.waitFor((c) => c.path === `/transfers/${transferId}/error`)
    assertIso(error, 'transfers.putError', 'transfers')
    assert.equal(error.body.TxInfAndSts.StsRsnInf.Rsn.Prtry, '4200')
    assert.equal(error.headers['fspiop-source'], 'Hub')
  })
})

describe('notifications in ISO 20022', () => {
  test('an ISO payee that answers RESERVED (pacs.002 RESV) is told the final state by a PATCH in pacs.002', async () => {
    const terms = ilpTerms({ payer: partyIdInfo(fspiopCustomer), payee: partyIdInfo(isoCustomer), amount: { amount: '3', currency: 'USD' } })
    const transferId = ulid()
    const prepare = { transferId, payerFsp: 'fspiopfsp', payeeFsp: 'isofsp', amount: { amount: '3', currency: 'USD' }, ilpPacket: terms.ilpPacket, condition: terms.condition, expiration: expiration() }
    await send(sw.apiUrl, 'POST', '/transfers', v2('transfers', 'fspiopfsp', 'isofsp'), prepare)
    await iso.waitFor((c) => c.method === 'POST' && c.body.CdtTrfTxInf?.PmtId?.TxId === transferId)
    assert.equal((await send(sw.apiUrl, 'PUT', `/transfers/${transferId}`, isoHeaders('transfers', 'isofsp', 'fspiopfsp'), isoFulfil(terms.fulfilment, 'RESV'))).status, 200)
    const patch = await iso.waitFor((c) => c.method === 'PATCH' && c.path === `/transfers/${transferId}`)
    assertIso(patch, 'transfers.patch', 'transfers')
    assert.equal(patch.body.TxInfAndSts.TxSts, 'COMM')
    assert.equal((await fspiop.waitFor((c) => c.path === `/transfers/${transferId}`)).body.transferState, 'COMMITTED')
  })

  test('an ISO payee that does not know the party answers acmt.024 with a reason: the FSPIOP payer gets the error code', async () => {
    const unknown: IsoParty = { msisdn: '255700000009', fsp: 'isofsp' }
    assert.equal((await send(sw.apiUrl, 'GET', `/parties/MSISDN/${unknown.msisdn}`, { ...v2('parties', 'fspiopfsp'), 'fspiop-destination': 'isofsp' })).status, 202)
    await iso.waitFor((c) => c.method === 'GET' && c.path === `/parties/MSISDN/${unknown.msisdn}`)
    assert.equal((await send(sw.apiUrl, 'PUT', `/parties/MSISDN/${unknown.msisdn}/error`, isoHeaders('parties', 'isofsp', 'fspiopfsp'), isoPartyError(unknown, 'fspiopfsp', '3204'))).status, 200)
    const error = await fspiop.waitFor((c) => c.path === `/parties/MSISDN/${unknown.msisdn}/error`)
    assert.equal(error.headers['content-type'], FSPIOP_TYPE('parties'))
    assert.equal(error.body.errorInformation.errorCode, '3204')
  })
})

describe('refusals at the edge', () => {
  test('a participant registered as ISO20022 that sends FSPIOP, or one registered as FSPIOP that sends ISO, gets 3001', async () => {
    const r = await send(sw.apiUrl, 'GET', `/parties/MSISDN/${fspiopCustomer.msisdn}`, v2('parties', 'isofsp'))
    assert.deepEqual([r.status, r.body.errorInformation.errorCode], [406, '3001'])
    assert.match(r.body.errorInformation.errorDescription, /isofsp is registered for ISO20022/)
    const q = await send(sw.apiUrl, 'POST', '/quotes', isoHeaders('quotes', 'fspiopfsp', 'isofsp', { accept: true }), isoQuoteRequest({ quoteId: ulid(), transactionId: ulid(), payer: fspiopCustomer, payee: isoCustomer, amount: '1', currency: 'USD', expiration: expiration() }))
    assert.deepEqual([q.status, q.body.errorInformation.errorCode], [406, '3001'])
  })

  test('the admin API takes only FSPIOP or ISO20022 as a mode, for a participant that exists', async () => {
    assert.equal((await call(sw.admin, 'PUT', '/participants/isofsp/apiMode', { apiMode: 'XML' })).status, 400)
    const unknown = await call(sw.admin, 'PUT', '/participants/nobody/apiMode', { apiMode: 'FSPIOP' })
    assert.deepEqual([unknown.status, unknown.body.errorInformation.errorCode], [404, '3200'])
    assert.equal((await call(sw.admin, 'GET', '/participants/isofsp/apiMode')).body.apiMode, 'ISO20022')
  })

  test('an ISO body that does not follow the ISO document is 3100', async () => {
    const r = await send(sw.apiUrl, 'POST', '/transfers', isoHeaders('transfers', 'isofsp', 'fspiopfsp', { accept: true }), { GrpHdr: { MsgId: ulid() } })
    assert.deepEqual([r.status, r.body.errorInformation.errorCode], [400, '3100'])
  })

  test('an FSPIOP prepare for an ISO payee with a UUID id, which ISO 20022 cannot carry, is refused with 3100 and reserves nothing', async () => {
    const terms = ilpTerms({ payer: partyIdInfo(fspiopCustomer), payee: partyIdInfo(isoCustomer), amount: { amount: '5', currency: 'USD' } })
    const transferId = randomUUID()
    const prepare = { transferId, payerFsp: 'fspiopfsp', payeeFsp: 'isofsp', amount: { amount: '5', currency: 'USD' }, ilpPacket: terms.ilpPacket, condition: terms.condition, expiration: expiration() }
    const r = await send(sw.apiUrl, 'POST', '/transfers', v2('transfers', 'fspiopfsp', 'isofsp'), prepare)
    assert.deepEqual([r.status, r.body.errorInformation.errorCode], [400, '3100'])
    assert.equal(await stateOf(transferId), undefined)
  })
})
