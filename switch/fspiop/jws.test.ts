import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { generateKeyPairSync } from 'node:crypto'
import { signJws, verifyJws, type ReceivedRequest } from './jws.ts'
import { fspiopUriOf, sameFspiopUri } from './fspiop-uri.ts'

const sdk = createRequire(import.meta.url)('@mojaloop/sdk-standard-components')
const keyPair = () => generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } })
const { privateKey, publicKey } = keyPair()
const now = Date.parse('Tue, 24 Nov 2026 10:00:00 GMT')
const policy = { dateWindow_s: 300, now: () => now }
const headers = { 'fspiop-uri': '/transfers', 'fspiop-http-method': 'POST', 'fspiop-source': 'payerfsp', 'fspiop-destination': 'payeefsp', date: new Date(now).toUTCString() }
// Keys in sorted order: the Mojaloop SDK's validator re-serializes the body that way before it verifies.
const body = JSON.stringify({ amount: { amount: '10', currency: 'USD' }, transferId: 't1' })
const signed = (h: Record<string, string> = headers) => ({ ...h, 'fspiop-signature': signJws(h, body, privateKey) })
const post = (h: Record<string, string | undefined>, rawBody = body): ReceivedRequest => ({ method: 'POST', url: '/transfers', headers: h, rawBody })
const reason = (r: ReceivedRequest, key: string | null = publicKey) => {
  const check = verifyJws(r, key ?? undefined, policy)
  return check.ok ? 'ok' : check.reason
}
/** A signature object whose protected header says other things, with the original signature kept. */
const withClaims = (signature: string, change: Record<string, string>) => {
  const s = JSON.parse(signature)
  const claims = { ...JSON.parse(Buffer.from(s.protectedHeader, 'base64url').toString()), ...change }
  return JSON.stringify({ ...s, protectedHeader: Buffer.from(JSON.stringify(claims)).toString('base64url') })
}

test('a message signed for its own method, path and Date verifies with the signer\'s public key', () => {
  assert.equal(reason(post(signed())), 'ok')
})

test('a tampered body, a changed source or destination, a missing signature or another key are refused', () => {
  assert.match(reason(post(signed(), body.replace('10', '1000'))), /does not verify/)
  assert.match(reason(post({ ...signed(), 'fspiop-source': 'mallory' })), /FSPIOP-Source header does not match/)
  assert.match(reason(post({ ...signed(), 'fspiop-destination': 'other' })), /FSPIOP-Destination header does not match/)
  assert.match(reason(post(headers)), /FSPIOP-Signature is missing/)
  assert.match(reason(post(signed()), null), /no public key registered for payerfsp/)
  assert.match(reason(post(signed()), keyPair().publicKey), /does not verify/)
})

test('the signed FSPIOP-URI must be the request\'s real path, not what the FSPIOP-URI header says (Signature §3.3 c)', () => {
  const x = { ...headers, 'fspiop-uri': '/transfers/X/error', 'fspiop-http-method': 'PUT' }
  const rejectionOfX = signed(x)
  const put = (url: string, h: Record<string, string>): ReceivedRequest => ({ method: 'PUT', url, headers: h, rawBody: body })
  assert.equal(reason(put('/transfers/X/error', rejectionOfX)), 'ok')
  assert.match(reason(put('/transfers/Y/error', rejectionOfX)), /^signed FSPIOP-URI \/transfers\/X\/error is not the request's path$/)
  assert.match(reason(put('/transfers/Y/error', { ...rejectionOfX, 'fspiop-uri': '/transfers/Y/error' })), /signed FSPIOP-URI \/transfers\/X\/error/)
  const rewritten = { ...rejectionOfX, 'fspiop-uri': '/transfers/Y/error', 'fspiop-signature': withClaims(rejectionOfX['fspiop-signature'], { 'FSPIOP-URI': '/transfers/Y/error' }) }
  assert.match(reason(put('/transfers/Y/error', rewritten)), /does not verify/, 'a protected header rewritten to match no longer verifies')
  assert.match(reason(put('/transfers/X/error', { ...rejectionOfX, 'fspiop-uri': '/transfers/Z/error' })), /FSPIOP-URI header does not match/)
})

test('the signed FSPIOP-HTTP-Method must be the request\'s real method (Signature §3.3 d)', () => {
  assert.match(reason({ ...post(signed()), method: 'PUT' }), /^signed FSPIOP-HTTP-Method POST is not the request's PUT$/)
  assert.match(reason(post({ ...signed(), 'fspiop-http-method': 'PUT' })), /FSPIOP-HTTP-Method header does not match/)
})

test('the signed Date must be the Date header and within the window of the switch\'s clock', () => {
  const stale = { ...headers, date: new Date(now - 301_000).toUTCString() }
  assert.match(reason(post(signed(stale))), /signed Date is 301 s from the switch's clock \(more than 300 s\)/)
  assert.match(reason(post(signed({ ...headers, date: new Date(now + 400_000).toUTCString() }))), /400 s from/)
  assert.equal(reason(post(signed({ ...headers, date: new Date(now - 299_000).toUTCString() }))), 'ok')
  assert.match(reason(post({ ...signed(stale), date: headers.date })), /Date header does not match the signed Date/, 'a refreshed Date header does not refresh the signed one')
  const { date: _date, ...undated } = headers
  assert.match(reason(post(signed(undated as Record<string, string>))), /protected header has no Date/)
})

test('an FSPIOP-Destination header the signature does not protect is refused, as the Mojaloop SDK\'s validator refuses it', () => {
  const { 'fspiop-destination': _d, ...noDestination } = headers
  const s = signed(noDestination as Record<string, string>)
  assert.equal(reason(post(s)), 'ok')
  assert.match(reason(post({ ...s, 'fspiop-destination': 'payeefsp' })), /FSPIOP-Destination is sent but not signed/)
})

test('a signature made by the Mojaloop SDK\'s own signer verifies, for POST and PUT, under a base path too', () => {
  const signer = new sdk.Jws.signer({ logger: sdk.Logger.loggerFactory({ context: {} }), signingKey: privateKey })
  for (const [method, path] of [['POST', '/transfers'], ['PUT', '/transfers/X/error']] as const) {
    const options = { method, uri: `http://switch.example/fspiop${path}`, headers: { 'fspiop-source': 'payerfsp', 'fspiop-destination': 'payeefsp', date: new Date(now).toUTCString() } as Record<string, string>, body: JSON.parse(body) }
    signer.sign(options)
    assert.equal(reason({ method, url: path, headers: options.headers, rawBody: options.body }), 'ok', `${method} ${path}`)
    assert.match(reason({ method, url: `${path}/other`, headers: options.headers, rawBody: options.body }), /signed FSPIOP-URI/)
  }
})

test('the hub\'s signature is accepted by the Mojaloop SDK\'s validator', () => {
  const validator = new sdk.Jws.validator({ logger: sdk.Logger.loggerFactory({ context: {} }), validationKeys: { payerfsp: publicKey } })
  assert.doesNotThrow(() => validator.validate({ headers: signed(), body: JSON.parse(body) }))
})

test('FSPIOP-URI is the path and query from the FSPIOP resource on, without host or base path', () => {
  assert.equal(fspiopUriOf('/transfers/1/error'), '/transfers/1/error')
  assert.equal(fspiopUriOf('http://dfsp.example:4000/api/v1/transfers/1?x=1'), '/transfers/1?x=1')
  assert.equal(fspiopUriOf('https://dfsp.example/parties/MSISDN/1/transfers'), '/parties/MSISDN/1/transfers')
  assert.equal(fspiopUriOf('http://dfsp.example/cb/1'), '/cb/1', 'no FSPIOP resource: the whole path')
  assert.ok(sameFspiopUri('/parties/EMAIL/a@b.org', '/parties/EMAIL/a%40b.org'))
  assert.ok(!sameFspiopUri('/parties/MSISDN/1%2Ferror', '/parties/MSISDN/1/error'), 'an encoded slash stays in its segment')
})
