import { test } from 'node:test'
import assert from 'node:assert/strict'
import { CALLBACK_ENDPOINT_TYPES, endpointTemplates } from './endpoint-templates.ts'

test('every callback endpoint type gets a Mojaloop URL template under the base URL', () => {
  const templates = endpointTemplates('http://dfsp:4000')
  assert.deepEqual(Object.keys(templates).sort(), [...CALLBACK_ENDPOINT_TYPES].sort())
  assert.equal(templates.FSPIOP_CALLBACK_URL_TRANSFER_PUT, 'http://dfsp:4000/transfers/{{transferId}}')
  assert.equal(templates.FSPIOP_CALLBACK_URL_PARTIES_GET, 'http://dfsp:4000/parties/{{partyIdType}}/{{partyIdentifier}}')
  assert.ok(Object.values(templates).every((url) => url.startsWith('http://dfsp:4000')))
})
