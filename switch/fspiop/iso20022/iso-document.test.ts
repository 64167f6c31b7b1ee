import { test } from 'node:test'
import assert from 'node:assert/strict'
import { closeChoices, withFxQuoteExpiry } from '../api-definition.ts'
import { requestBodySchemaName, validateIsoBody } from './iso-document.ts'

test('the request bodies are the ISO messages the document names (pacs.008 for a prepare, pacs.002 for a fulfil)', () => {
  assert.equal(requestBodySchemaName('/transfers', 'post'), 'Execute_FIToFICustomerCreditTransferV13')
  assert.equal(requestBodySchemaName('/transfers/{ID}', 'put'), 'PacsStatus_FIToFIPaymentStatusReportV15')
  assert.equal(requestBodySchemaName('/parties/{Type}/{ID}', 'put'), 'GetParties_IdentificationVerificationReportV03')
})

test('a choice type takes the properties of its branches and refuses any other', () => {
  const [choice] = Object.values(closeChoices({ C: { type: 'object', additionalProperties: false, anyOf: [{ properties: { Cd: { type: 'string' } }, required: ['Cd'] }, { properties: { Prtry: { type: 'string' } }, required: ['Prtry'] }] } })) as any[]
  assert.deepEqual(Object.keys(choice.properties), ['Cd', 'Prtry'])
  const error = (rsn: unknown) => ({ GrpHdr: { MsgId: '01JZ5Y0D8V3W7G9K2M4N6P8Q0R', CreDtTm: new Date().toISOString() }, TxInfAndSts: { StsRsnInf: { Rsn: rsn } } })
  assert.ok(validateIsoBody('/transfers/{ID}/error', 'put', error({ Prtry: '5101' })).ok)
  assert.equal(validateIsoBody('/transfers/{ID}/error', 'put', error({ Other: '5101' })).ok, false)
})

test('the FX quote messages\' header (GroupHeader113) takes the expiry as GroupHeader129 defines it, and only that', () => {
  const expiry = { allOf: [{ $ref: '#/components/schemas/ISODateTime' }] }
  const schemas = { GroupHeader113: { type: 'object', additionalProperties: false, properties: { MsgId: {} } }, GroupHeader129: { properties: { PmtInstrXpryDtTm: expiry } } }
  const repaired = withFxQuoteExpiry(schemas) as { GroupHeader113: { additionalProperties: boolean; properties: Record<string, unknown> } }
  assert.deepEqual(repaired.GroupHeader113.properties, { MsgId: {}, PmtInstrXpryDtTm: expiry })
  assert.equal(repaired.GroupHeader113.additionalProperties, false)
  assert.equal(requestBodySchemaName('/fxQuotes', 'post'), 'FxRequest_FICreditTransferProposal')
  const header = { MsgId: '01JZ5Y0D8V3W7G9K2M4N6P8Q0R', CreDtTm: new Date().toISOString(), NbOfTxs: '1', SttlmInf: { SttlmMtd: 'CLRG' } }
  const agent = (id: string) => ({ FinInstnId: { Othr: { Id: id } } })
  const quote = (grpHdr: unknown) => ({ GrpHdr: grpHdr, CdtTrfTxInf: { PmtId: { TxId: '01JZ5Y0D8V3W7G9K2M4N6P8Q0S' }, Dbtr: agent('payer'), Cdtr: agent('fxp'), IntrBkSttlmAmt: { Ccy: 'TZS', ActiveCurrencyAndAmount: '100' } } })
  assert.ok(validateIsoBody('/fxQuotes', 'post', quote({ ...header, PmtInstrXpryDtTm: new Date().toISOString() })).ok)
  assert.equal(validateIsoBody('/fxQuotes', 'post', quote({ ...header, XpryDt: '2026-01-01' })).ok, false)
})
