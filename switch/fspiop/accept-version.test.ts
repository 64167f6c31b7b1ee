// The version a DFSP asks for in Accept is what the hub answers it in; the body keeps its Content-Type's.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { contentTypeFor, outgoingHeaders, parseFspiopGetHeaders, parseFspiopHeaders } from './headers.ts'

const headers = (content: string, accept: string | undefined) => ({
  'content-type': content, ...(accept ? { accept } : {}), date: 'Tue, 24 Nov 2026 10:00:00 GMT', 'fspiop-source': 'payerfsp',
})

test('a request\'s Accept gives the version of the hub\'s answer, its Content-Type the version of the body', () => {
  const h = parseFspiopHeaders(headers(contentTypeFor('transfers', '1.1'), contentTypeFor('transfers', '1.0')), { resource: 'transfers', kind: 'request' })
  assert.deepEqual([h.version, h.acceptVersion], ['1.1', '1.0'])
  const up = parseFspiopHeaders(headers(contentTypeFor('quotes', '1.1'), contentTypeFor('quotes', '2.0')), { resource: 'quotes', kind: 'request' })
  assert.deepEqual([up.version, up.acceptVersion], ['1.1', '2.0'])
})

test('an Accept naming only the major version asks for its newest minor; a list gives its first supported entry', () => {
  const major = parseFspiopHeaders(headers(contentTypeFor('transfers', '1.0'), 'application/vnd.interoperability.transfers+json;version=1'), { resource: 'transfers', kind: 'request' })
  assert.equal(major.acceptVersion, '1.1')
  const list = parseFspiopHeaders(headers(contentTypeFor('transfers', '1.1'), `application/vnd.interoperability.transfers+json;version=9.9, ${contentTypeFor('transfers', '2.0')}`), { resource: 'transfers', kind: 'request' })
  assert.equal(list.acceptVersion, '2.0')
})

test('a callback, which carries no Accept, is answered in its Content-Type\'s version', () => {
  const h = parseFspiopHeaders(headers(contentTypeFor('transfers', '2.0'), undefined), { resource: 'transfers', kind: 'callback' })
  assert.deepEqual([h.version, h.acceptVersion], ['2.0', '2.0'])
})

test('a GET is answered in its Accept\'s version even when it also sends a Content-Type', () => {
  const h = parseFspiopGetHeaders(headers(contentTypeFor('transfers', '1.0'), contentTypeFor('transfers', '1.1')), 'transfers')
  assert.equal(h.acceptVersion, '1.1')
})

test('a forwarded request keeps the sender\'s Content-Type and passes its Accept on', () => {
  const h = outgoingHeaders({ resource: 'transfers', version: '1.1', acceptVersion: '2.0', source: 'payerfsp', destination: 'payeefsp', method: 'POST', path: '/transfers', hubOriginated: false })
  assert.equal(h['content-type'], contentTypeFor('transfers', '1.1'))
  assert.equal(h.accept, contentTypeFor('transfers', '2.0'))
  assert.equal(outgoingHeaders({ resource: 'transfers', version: '1.0', source: 'a', destination: 'b', method: 'POST', path: '/transfers', hubOriginated: false }).accept, contentTypeFor('transfers', '1.0'))
})

test('a hub-originated message keeps the Date of its making on every try (FSPIOP\'s Date is the origination)', () => {
  const made_ms = Date.parse('Tue, 24 Nov 2026 10:00:00 GMT')
  const h = outgoingHeaders({ resource: 'transfers', version: '1.1', source: 'hub', destination: 'payerfsp', method: 'PUT', path: '/transfers/x/error', hubOriginated: true, originatedAt_ms: made_ms })
  assert.equal(h.date, 'Tue, 24 Nov 2026 10:00:00 GMT')
})
