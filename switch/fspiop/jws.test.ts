import { test } from 'node:test'
import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { signJws, verifyJws } from './jws.ts'

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } })
const headers = { 'fspiop-uri': '/transfers', 'fspiop-http-method': 'POST', 'fspiop-source': 'payerfsp', 'fspiop-destination': 'payeefsp', date: 'Tue, 24 Nov 2026 10:00:00 GMT' }
const body = JSON.stringify({ transferId: 't1', amount: { amount: '10', currency: 'USD' } })

test('a signed message verifies with the signer\'s public key', () => {
  const signed = { ...headers, 'fspiop-signature': signJws(headers, body, privateKey) }
  assert.deepEqual(verifyJws(signed, body, publicKey), { ok: true })
})

test('a tampered body, a changed header, a missing signature or an unknown key are refused', () => {
  const signed = { ...headers, 'fspiop-signature': signJws(headers, body, privateKey) }
  assert.equal(verifyJws(signed, body.replace('10', '1000'), publicKey).ok, false)
  assert.equal(verifyJws({ ...signed, 'fspiop-source': 'mallory' }, body, publicKey).ok, false)
  assert.equal(verifyJws({ ...signed, 'fspiop-destination': 'other' }, body, publicKey).ok, false)
  assert.equal(verifyJws(headers, body, publicKey).ok, false)
  assert.equal(verifyJws(signed, body, undefined).ok, false)
  const other = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } })
  assert.equal(verifyJws(signed, body, other.publicKey).ok, false)
})
