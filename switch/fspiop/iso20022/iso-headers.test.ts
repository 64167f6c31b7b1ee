import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { FspiopError } from '../errors.ts'
import { parseFspiopGetHeaders, parseFspiopHeaders } from '../headers.ts'
import { isIsoMediaType, isoContentTypeFor } from '../api-mode.ts'

const base = { date: 'Tue, 24 Nov 2026 10:00:00 GMT', 'fspiop-source': 'payerfsp' }
const iso = (version: string) => `application/vnd.interoperability.iso20022.transfers+json;version=${version}`

function code(f: () => unknown): string {
  try {
    f()
  } catch (e) {
    return (e as FspiopError).code
  }
  return 'none'
}

test('the ISO 20022 content type is accepted for version 2.0, as central-services-shared builds it', () => {
  assert.equal(isoContentTypeFor('transfers'), iso('2.0'))
  const h = parseFspiopHeaders({ ...base, 'content-type': iso('2.0'), accept: iso('2.0') }, { resource: 'transfers', kind: 'request' })
  assert.equal(h.version, '2.0')
  assert.equal(parseFspiopGetHeaders({ ...base, accept: 'application/vnd.interoperability.iso20022.parties+json;version=2' }, 'parties').version, '2.0')
})

test('the ISO 20022 content type with any other version is 3001: the variant exists for v2.0 only', () => {
  assert.equal(code(() => parseFspiopHeaders({ ...base, 'content-type': iso('1.1') }, { resource: 'transfers', kind: 'callback' })), '3001')
  assert.equal(code(() => parseFspiopGetHeaders({ ...base, accept: 'application/vnd.interoperability.iso20022.parties+json;version=1' }, 'parties')), '3001')
})

test('an ISO 20022 content type for another resource is 3101, as for FSPIOP', () => {
  assert.equal(code(() => parseFspiopHeaders({ ...base, 'content-type': 'application/vnd.interoperability.iso20022.quotes+json;version=2.0' }, { resource: 'transfers', kind: 'callback' })), '3101')
})

test('ISO media types are told from FSPIOP ones, also as the first of an Accept list', () => {
  assert.equal(isIsoMediaType(iso('2.0')), true)
  assert.equal(isIsoMediaType(`${iso('2.0')}, application/vnd.interoperability.transfers+json;version=1.1`), true)
  assert.equal(isIsoMediaType('application/vnd.interoperability.transfers+json;version=2.0'), false)
  assert.equal(isIsoMediaType(undefined), false)
})

test('the ISO 20022 content types of /fxQuotes and /fxTransfers are accepted for version 2.0', () => {
  for (const resource of ['fxQuotes', 'fxTransfers']) {
    const type = isoContentTypeFor(resource)
    assert.equal(type, `application/vnd.interoperability.iso20022.${resource}+json;version=2.0`)
    assert.equal(parseFspiopHeaders({ ...base, 'content-type': type, accept: type }, { resource, kind: 'request' }).version, '2.0')
    assert.equal(parseFspiopGetHeaders({ ...base, accept: type }, resource).version, '2.0')
  }
})
