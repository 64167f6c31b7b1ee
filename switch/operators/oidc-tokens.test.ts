// A scheme's own OIDC provider (Keycloak's token shape): its tokens are checked against the JWKS it
// publishes, with its issuer and the admin API's audience; its keys and the local keys are kept apart.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { SignJWT, importJWK } from 'jose'
import { generateOperatorKey, type OperatorKey } from './local-keys.ts'
import { createTokenVerifier, type TokenVerifier } from './operator-tokens.ts'
import { operatorKeys, type OperatorKeys } from '../../test/support/operators.ts'

const ISSUER = 'https://keycloak.scheme.example/realms/agora'
let server: Server
let idpKey: OperatorKey
let local: OperatorKeys
let verifier: TokenVerifier
let jwksRequests = 0

before(async () => {
  idpKey = await generateOperatorKey('RS256')
  local = await operatorKeys()
  server = createServer((request, response) => {
    jwksRequests++
    if (request.url !== '/realms/agora/protocol/openid-connect/certs') return void response.writeHead(404).end()
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [idpKey.publicJwk] }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/realms/agora/protocol/openid-connect/certs`
  verifier = createTokenVerifier({ ...local.operators, oidc: { issuer: ISSUER, jwksUrl } }) as TokenVerifier
})
after(() => server.close())

const now = () => Math.floor(Date.now() / 1000)
async function keycloakToken(claims: Record<string, unknown>, key = idpKey): Promise<string> {
  return new SignJWT({
    iss: ISSUER, aud: ['agora-admin', 'account'], sub: 'f3b5c8e2-2d1a-4c59-9d3e-7a1b2c3d4e5f', typ: 'Bearer', azp: 'agora-cli',
    preferred_username: 'alice', realm_access: { roles: ['default-roles-agora', 'offline_access', 'finance'] }, iat: now(), exp: now() + 300, ...claims,
  }).setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' }).sign(await importJWK(key.privateJwk, 'RS256'))
}

test('a Keycloak access token is accepted: sub is the identity, realm_access.roles the roles, keys from the provider\'s JWKS URL', async () => {
  const check = await verifier.verify(await keycloakToken({}))
  assert.ok(check.ok, JSON.stringify(check))
  assert.deepEqual(check.identity, { subject: 'f3b5c8e2-2d1a-4c59-9d3e-7a1b2c3d4e5f', roles: ['finance'], via: 'token' })
  assert.ok(jwksRequests >= 1)
})

test('the provider\'s tokens are refused when their audience, expiry or signature is wrong', async () => {
  const stranger = await generateOperatorKey('RS256')
  for (const [what, token] of [
    ['audience of another client', await keycloakToken({ aud: 'account' })],
    ['expired', await keycloakToken({ exp: now() - 300 })],
    ['not yet valid', await keycloakToken({ nbf: now() + 300 })],
    ['signed by a key the provider does not publish', await keycloakToken({}, { ...stranger, kid: idpKey.kid })],
  ] as const) {
    assert.equal((await verifier.verify(token)).ok, false, what)
  }
})

test('the local keys cannot sign for the provider\'s issuer, nor the provider\'s keys for the local issuer', async () => {
  const localKeyAsProvider = new SignJWT({ iss: ISSUER, aud: 'agora-admin', sub: 'x', roles: ['operator'], exp: now() + 300 })
    .setProtectedHeader({ alg: 'ES256', kid: local.key.kid }).sign(await importJWK(local.key.privateJwk, 'ES256'))
  assert.equal((await verifier.verify(await localKeyAsProvider)).ok, false)
  assert.equal((await verifier.verify(await keycloakToken({ iss: 'agora' }))).ok, false)
  assert.ok((await verifier.verify(await local.token('ops', ['operator']))).ok, 'the local keys still sign for the local issuer')
})

test('when the provider\'s JWKS cannot be fetched, the token is not accepted and the switch says it could not decide', async () => {
  const unreachable = createTokenVerifier({ ...local.operators, oidc: { issuer: ISSUER, jwksUrl: 'http://127.0.0.1:9/certs' } }) as TokenVerifier
  const check = await unreachable.verify(await keycloakToken({}))
  assert.equal(check.ok, false)
  if (!check.ok) assert.equal(check.unavailable, true)
})
