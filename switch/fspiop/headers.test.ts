import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { FspiopError } from './errors.ts'
import { contentTypeFor, outgoingHeaders, parseFspiopHeaders } from './headers.ts'

const good = {
  'content-type': 'application/vnd.interoperability.transfers+json;version=1.1',
  accept: 'application/vnd.interoperability.transfers+json;version=1',
  date: 'Tue, 24 Nov 2026 10:00:00 GMT',
  'fspiop-source': 'payerfsp',
  'fspiop-destination': 'payeefsp',
}

function code(f: () => unknown): string {
  try {
    f()
  } catch (e) {
    return (e as FspiopError).code
  }
  return 'none'
}

test('a well-formed request gives its version, source and destination', () => {
  const h = parseFspiopHeaders(good, { resource: 'transfers', kind: 'request' })
  assert.deepEqual([h.version, h.source, h.destination], ['1.1', 'payerfsp', 'payeefsp'])
  assert.equal(parseFspiopHeaders({ ...good, 'content-type': contentTypeFor('transfers', '2.0') }, { resource: 'transfers', kind: 'request' }).version, '2.0')
})

test('missing headers are 3102, malformed ones 3101, unsupported versions 3001', () => {
  const without = (name: string) => Object.fromEntries(Object.entries(good).filter(([k]) => k !== name))
  assert.equal(code(() => parseFspiopHeaders(without('fspiop-source'), { resource: 'transfers', kind: 'request' })), '3102')
  assert.equal(code(() => parseFspiopHeaders(without('date'), { resource: 'transfers', kind: 'request' })), '3102')
  assert.equal(code(() => parseFspiopHeaders(without('accept'), { resource: 'transfers', kind: 'request' })), '3102')
  assert.equal(code(() => parseFspiopHeaders(without('accept'), { resource: 'transfers', kind: 'callback' })), 'none')
  assert.equal(code(() => parseFspiopHeaders({ ...good, 'content-type': 'application/json' }, { resource: 'transfers', kind: 'request' })), '3101')
  assert.equal(code(() => parseFspiopHeaders({ ...good, date: 'yesterday' }, { resource: 'transfers', kind: 'request' })), '3101')
  assert.equal(code(() => parseFspiopHeaders({ ...good, 'content-type': contentTypeFor('quotes') }, { resource: 'transfers', kind: 'request' })), '3101')
  assert.equal(code(() => parseFspiopHeaders({ ...good, 'content-type': 'application/vnd.interoperability.transfers+json;version=3.0' }, { resource: 'transfers', kind: 'request' })), '3001')
})

test('hub-originated messages carry FSPIOP-URI and FSPIOP-HTTP-Method', () => {
  const h = outgoingHeaders({ resource: 'transfers', version: '1.1', source: 'Hub', destination: 'payerfsp', method: 'PUT', path: '/transfers/1/error', hubOriginated: true })
  assert.equal(h['fspiop-uri'], '/transfers/1/error')
  assert.equal(h['fspiop-http-method'], 'PUT')
  assert.equal(h['content-type'], 'application/vnd.interoperability.transfers+json;version=1.1')
  assert.equal(outgoingHeaders({ resource: 'transfers', version: '1.1', source: 'a', destination: 'b', method: 'PUT', path: '/x', hubOriginated: false })['fspiop-uri'], undefined)
})
