import { test } from 'node:test'
import assert from 'node:assert/strict'
import { closeChoices } from '../api-definition.ts'
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
