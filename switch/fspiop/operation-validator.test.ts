// Bodies, headers and path ids checked against the official @mojaloop/api-snippets documents, with the
// FSPIOP error (code and description) Mojaloop gives for each kind of failure.
import { describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { FspiopError } from './errors.ts'
import { routeValidators } from './request-validation.ts'
import type { FspiopVersion } from './headers.ts'

const ULID = '01HZX3NDEKTSV4RRFFQ69G5FAV'
const ULID2 = '01HZX3NDEKTSV4RRFFQ69G5FAW'
const UUID = 'b51ec534-ee48-4575-b6a9-ead2955b8069'
const UUID_V7 = '01890a5d-ac96-774b-bcce-b302099a8057'
const condition = 'f5sqb7tBTWPd5Y8BDFdMm9BJR_MNI4isf8p8n4D5pHA'
const fulfilment = 'WLctttbu2HvTsa1XWvUoGRcQozHsqeu9Ahl2JW9Bsu8'
const ilpPacket = 'AYIBgQAAAAAAAASwNGxldmVsb25lLmRmc3AxLm1lci45T2RTOF81MDdqUUZERmZlakgyOVc4bXFmNEpLMHlGTFGCAUBQU0svMS4w'
const later = '2030-01-01T00:00:00.000Z'
const money = { currency: 'USD', amount: '10' }
const partyIdInfo = { partyIdType: 'MSISDN', partyIdentifier: '255700000001', fspId: 'payeefsp' }

function headers(resource: string, version: FspiopVersion, extra: Record<string, string> = {}): Record<string, string> {
  const type = `application/vnd.interoperability.${resource}+json;version=${version}`
  return { 'content-type': type, accept: type, date: new Date().toUTCString(), 'fspiop-source': 'payerfsp', 'fspiop-destination': 'payeefsp', 'content-length': '100', ...extra }
}

/** Checks a request as the switch does; returns the FspiopError it is refused with, or undefined. */
function refusal(method: string, url: string, version: FspiopVersion, parts: { params?: Record<string, string>; body?: unknown; headers?: Record<string, string> }): FspiopError | undefined {
  const resource = url.split('/')[1]!
  const validator = routeValidators(method, url)?.[version]
  assert.ok(validator, `${method} ${url} is in the ${version} document`)
  try {
    validator.check({ headers: parts.headers ?? headers(resource, version), params: parts.params ?? {}, body: parts.body })
    return undefined
  } catch (error) {
    assert.ok(error instanceof FspiopError, String(error))
    return error
  }
}

const prepare = (transferId: string) => ({ transferId, payerFsp: 'payerfsp', payeeFsp: 'payeefsp', amount: money, ilpPacket, condition, expiration: later })

interface Resource {
  name: string
  method: string
  url: string
  params: Record<string, string>
  body: Record<string, unknown>
  required: string
  /** A field whose value must be one of an enumeration, and where it sits in the body. */
  enumField?: { path: string; set: (b: Record<string, unknown>) => Record<string, unknown> }
}

const RESOURCES: Resource[] = [
  { name: 'transfer prepare', method: 'POST', url: '/transfers', params: {}, body: prepare(ULID), required: 'condition' },
  {
    name: 'transfer fulfil', method: 'PUT', url: '/transfers/:id', params: { ID: ULID }, body: { transferState: 'COMMITTED', fulfilment, completedTimestamp: '2026-01-01T00:00:00.000Z' }, required: 'transferState',
    enumField: { path: '/requestBody/transferState', set: (b) => ({ ...b, transferState: '' }) },
  },
  { name: 'transfer error', method: 'PUT', url: '/transfers/:id/error', params: { ID: ULID }, body: { errorInformation: { errorCode: '5104', errorDescription: 'Payee rejected transaction' } }, required: 'errorInformation' },
  {
    name: 'quote request', method: 'POST', url: '/quotes', params: {}, required: 'transactionType',
    body: { quoteId: ULID, transactionId: ULID2, payee: { partyIdInfo }, payer: { partyIdInfo: { ...partyIdInfo, fspId: 'payerfsp' } }, amountType: 'SEND', amount: money, transactionType: { scenario: 'TRANSFER', initiator: 'PAYER', initiatorType: 'CONSUMER' } },
    enumField: { path: '/requestBody/amountType', set: (b) => ({ ...b, amountType: '' }) },
  },
  { name: 'quote response', method: 'PUT', url: '/quotes/:id', params: { ID: ULID }, body: { transferAmount: money, expiration: later, ilpPacket, condition }, required: 'condition' },
  {
    name: 'party response', method: 'PUT', url: '/parties/:Type/:ID', params: { Type: 'MSISDN', ID: '255700000001' }, body: { party: { partyIdInfo } }, required: 'party',
    enumField: { path: '/requestBody/party/partyIdInfo/partyIdType', set: () => ({ party: { partyIdInfo: { ...partyIdInfo, partyIdType: '' } } }) },
  },
  { name: 'participant registration', method: 'POST', url: '/participants/:Type/:ID', params: { Type: 'MSISDN', ID: '255700000001' }, body: { fspId: 'payeefsp', currency: 'USD' }, required: 'fspId' },
  { name: 'batch participants', method: 'POST', url: '/participants', params: {}, body: { requestId: ULID, partyList: [partyIdInfo] }, required: 'partyList' },
  {
    name: 'transaction request', method: 'POST', url: '/transactionRequests', params: {}, required: 'amount',
    body: { transactionRequestId: ULID, payee: { partyIdInfo }, payer: { partyIdType: 'MSISDN', partyIdentifier: '255700000002' }, amount: money, transactionType: { scenario: 'WITHDRAWAL', initiator: 'PAYEE', initiatorType: 'AGENT' } },
    enumField: { path: '/requestBody/transactionType/initiator', set: (b) => ({ ...b, transactionType: { scenario: 'WITHDRAWAL', initiator: '', initiatorType: 'AGENT' } }) },
  },
]

describe('bodies are checked against the official API definition of their version', () => {
  for (const r of RESOURCES) {
    for (const version of ['1.1', '2.0'] as const) {
      test(`${r.name} (${version}): a valid body with ULID ids is accepted`, () => {
        assert.equal(refusal(r.method, r.url, version, { params: r.params, body: r.body }), undefined)
      })
      test(`${r.name} (${version}): a body without ${r.required} is 3102, naming it as Mojaloop does`, () => {
        const { [r.required]: _dropped, ...body } = r.body
        const error = refusal(r.method, r.url, version, { params: r.params, body })
        assert.equal(error?.code, '3102')
        assert.match(error.description, new RegExp(`^Missing mandatory element - /requestBody must have required property '${r.required}'$`))
      })
      if (r.enumField) {
        const field = r.enumField
        test(`${r.name} (${version}): an empty enumeration value is refused with 3100`, () => {
          const error = refusal(r.method, r.url, version, { params: r.params, body: field.set(r.body) })
          assert.equal(error?.code, '3100')
          assert.equal(error.description, `Generic validation error - ${field.path} must be equal to one of the allowed values`)
        })
      }
    }
    test(`${r.name} (2.0): an extra property is 3103 (Too many elements), as the v2.0 document closes its objects`, () => {
      const error = refusal(r.method, r.url, '2.0', { params: r.params, body: { ...r.body, surprise: 'x' } })
      assert.equal(error?.code, '3103')
      assert.equal(error.description, 'Too many elements - /requestBody must NOT have additional properties')
    })
  }

  test('an extra property is accepted on 1.1, whose document leaves its objects open (as Mojaloop does)', () => {
    assert.equal(refusal('POST', '/transfers', '1.1', { body: { ...prepare(ULID), surprise: 'x' } }), undefined)
  })

  test('a ULID transferId is accepted on content type 1.0 and 1.1, as Mojaloop\'s v2.0 CorrelationId allows', () => {
    for (const version of ['1.0', '1.1', '2.0'] as const) {
      for (const id of [ULID, UUID, UUID_V7]) assert.equal(refusal('POST', '/transfers', version, { body: prepare(id) }), undefined, `${id} on ${version}`)
    }
  })

  test('malformed ids are refused with 3100 on every version: uppercase UUID, lowercase ULID, ULID with I/L/O/U, wrong length', () => {
    for (const version of ['1.0', '1.1', '2.0'] as const) {
      for (const id of [UUID.toUpperCase(), ULID.toLowerCase(), '01HZX3NDEKTSV4RRFFQ69G5FAI', `${ULID}X`, 'not-an-id', '']) {
        const error = refusal('POST', '/transfers', version, { body: prepare(id) })
        assert.equal(error?.code, '3100', `${id} on ${version}`)
        assert.match(error.description, /^Generic validation error - \/requestBody\/transferId must match pattern "/)
      }
    }
  })

  test('a string where the document wants an object, or a number where it wants a string, is 3101 (Malformed syntax)', () => {
    assert.equal(refusal('POST', '/transfers', '1.1', { body: { ...prepare(ULID), amount: { currency: 'USD', amount: 10 } } })?.description, 'Malformed syntax - /requestBody/amount/amount must be string')
    assert.equal(refusal('POST', '/transfers', '2.0', { body: 'text' })?.code, '3101')
  })

  test('a request without the body its operation requires is 3102', () => {
    assert.equal(refusal('POST', '/transfers', '1.1', { body: undefined })?.description, "Missing mandatory element - must have required property 'requestBody'")
  })

  test('content type 1.0 is held to the 1.1 data types: an empty transferState is refused', () => {
    const error = refusal('PUT', '/transfers/:id', '1.0', { params: { ID: ULID }, body: { transferState: '' } })
    assert.equal(error?.code, '3100')
  })
})

describe('headers and path ids', () => {
  test('a header the document requires and the request lacks is 3102, named in lowercase', () => {
    const { date: _date, ...withoutDate } = headers('transfers', '1.1')
    const error = refusal('POST', '/transfers', '1.1', { headers: withoutDate, body: prepare(ULID) })
    assert.equal(error?.description, "Missing mandatory element - /header must have required property 'date'")
  })

  test('headers are checked before the body', () => {
    const { 'fspiop-source': _source, ...withoutSource } = headers('quotes', '2.0')
    const error = refusal('POST', '/quotes', '2.0', { headers: withoutSource, body: {} })
    assert.equal(error?.description, "Missing mandatory element - /header must have required property 'fspiop-source'")
  })

  test('a malformed id in the path of transfers, quotes, transaction requests and authorizations is 3100', () => {
    for (const url of ['/transfers/:id', '/quotes/:id', '/transactionRequests/:id', '/authorizations/:id']) {
      const error = refusal('GET', url, '1.1', { params: { ID: 'abc' }, headers: headers(url.split('/')[1]!, '1.1') })
      assert.equal(error?.code, '3100', url)
      assert.match(error.description, /^Generic validation error - \/path\/ID must match pattern/)
      assert.equal(refusal('GET', url, '1.1', { params: { ID: ULID }, headers: headers(url.split('/')[1]!, '1.1') }), undefined)
    }
  })

  test('a party type outside the enumeration is refused in the path', () => {
    const error = refusal('GET', '/parties/:Type/:ID', '1.1', { params: { Type: 'PHONE', ID: '1' }, headers: headers('parties', '1.1') })
    assert.equal(error?.description, 'Generic validation error - /path/Type must be equal to one of the allowed values')
  })

  test('each validator is compiled once: the same route gives the same validator object', () => {
    assert.equal(routeValidators('POST', '/transfers')?.['1.1'], routeValidators('POST', '/transfers')?.['1.1'])
    assert.equal(routeValidators('POST', '/transfers')?.['1.0'], routeValidators('POST', '/transfers')?.['1.1'])
  })

  test('routes that are not FSPIOP operations get no validator', () => {
    assert.equal(routeValidators('GET', '/health'), undefined)
  })
})
