// Operator tokens as the switch checks them: signature against the trusted JWKS, iss, aud, exp, nbf, sub,
// and the roles from the configured claim (Keycloak's realm_access.roles too).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { SignJWT, importJWK, type JWK, type JWTPayload } from 'jose'
import { generateOperatorKey, signOperatorToken, writeOperatorKey, type OperatorKey } from './local-keys.ts'
import { createTokenVerifier, rolesOf, type TokenVerifier } from './operator-tokens.ts'
import type { OperatorsConfig } from '../config/config.ts'

const dir = await mkdtemp(path.join(tmpdir(), 'agora-operator-keys-'))
const key = await generateOperatorKey('ES256')
const { jwksFile } = await writeOperatorKey(dir, key)
const config: OperatorsConfig = { jwksFile, localIssuer: 'agora', oidc: undefined, audience: 'agora-admin', rolesClaim: 'roles' }
const verifier = createTokenVerifier(config) as TokenVerifier
const now_s = () => Math.floor(Date.now() / 1000)

async function signed(claims: JWTPayload, signingKey: OperatorKey = key, header: { alg?: string } = {}): Promise<string> {
  const alg = header.alg ?? 'ES256'
  return new SignJWT(claims).setProtectedHeader({ alg, kid: signingKey.kid }).sign(await importJWK(signingKey.privateJwk as JWK, alg))
}
const valid = { sub: 'alice', iss: 'agora', aud: 'agora-admin', roles: ['operator'] }

test('a token signed with a key of the JWKS file names its subject and roles', async () => {
  const token = await signOperatorToken(key.privateJwk, { subject: 'alice', roles: ['operator', 'finance'], ttl: '8h', issuer: 'agora', audience: 'agora-admin' })
  const check = await verifier.verify(token)
  assert.ok(check.ok)
  assert.deepEqual(check.identity, { subject: 'alice', roles: ['operator', 'finance'], via: 'token' })
})

test('expired, not yet valid, wrong audience, untrusted issuer, forged and unsigned tokens are refused, each with its reason', async () => {
  const other = await generateOperatorKey('ES256')
  const cases: [string, string, RegExp][] = [
    ['expired', await signed({ ...valid, exp: now_s() - 120 }), /expired/],
    ['not yet valid', await signed({ ...valid, exp: now_s() + 3600, nbf: now_s() + 600 }), /nbf/],
    ['wrong audience', await signed({ ...valid, aud: 'someone-else', exp: now_s() + 3600 }), /aud/],
    ['untrusted issuer', await signed({ ...valid, iss: 'https://idp.example', exp: now_s() + 3600 }), /issuer "https:\/\/idp.example" are not trusted/],
    ['signed by another key under the trusted kid', await signed({ ...valid, exp: now_s() + 3600 }, { ...other, kid: key.kid }), /signature does not verify/],
    ['no exp', await signed(valid), /exp/],
    ['no sub', await signed({ ...valid, sub: undefined, exp: now_s() + 3600 }), /sub/],
    ['unsigned (alg none)', `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ ...valid, exp: now_s() + 3600 })).toString('base64url')}.`, /algorithm|not accepted/],
    ['not a JWT', 'hello', /not a JWT/],
  ]
  for (const [what, token, reason] of cases) {
    const check = await verifier.verify(token)
    assert.equal(check.ok, false, what)
    if (!check.ok) assert.match(check.reason, reason, what)
  }
})

test('a tampered payload does not verify: the roles cannot be raised', async () => {
  const token = await signOperatorToken(key.privateJwk, { subject: 'rita', roles: ['regulator'], ttl: '1h', issuer: 'agora', audience: 'agora-admin' })
  const [header, payload, signature] = token.split('.') as [string, string, string]
  const raised = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), roles: ['operator'] })).toString('base64url')
  const check = await verifier.verify(`${header}.${raised}.${signature}`)
  assert.equal(check.ok, false)
})

test('roles come from the configured claim; with the default, Keycloak\'s realm_access.roles counts too; unknown roles are ignored', () => {
  assert.deepEqual(rolesOf({ roles: ['finance', 'admin', 'finance'] }, 'roles'), ['finance'])
  assert.deepEqual(rolesOf({ realm_access: { roles: ['offline_access', 'regulator'] } }, 'roles'), ['regulator'])
  assert.deepEqual(rolesOf({ resource_access: { agora: { roles: ['auditor'] } } }, 'resource_access.agora.roles'), ['auditor'])
  assert.deepEqual(rolesOf({ groups: 'operator finance' }, 'groups'), ['operator', 'finance'])
  assert.deepEqual(rolesOf({ roles: 'nonsense' }, 'roles'), [])
  assert.deepEqual(rolesOf({ realm_access: { roles: ['operator'] } }, 'groups'), [], 'an explicit claim is the only one read')
})

test('a JWKS file that holds a private key, or no keys, stops the switch at start-up', async () => {
  const leaked = path.join(dir, 'leaked.json')
  await writeFile(leaked, JSON.stringify({ keys: [key.privateJwk] }))
  assert.throws(() => createTokenVerifier({ ...config, jwksFile: leaked }), /private key/)
  const empty = path.join(dir, 'empty.json')
  await writeFile(empty, '{"keys":[]}')
  assert.throws(() => createTokenVerifier({ ...config, jwksFile: empty }), /at least one key/)
  assert.equal(createTokenVerifier({ ...config, jwksFile: undefined }), undefined, 'no source, no verifier')
})

test('keygen adds each new key to the JWKS, so tokens of the old and the new key verify during a rotation', async () => {
  const next = await generateOperatorKey('RS256')
  await writeOperatorKey(dir, next)
  const rotated = createTokenVerifier(config) as TokenVerifier
  for (const k of [key, next]) {
    const token = await signOperatorToken(k.privateJwk, { subject: 'ops-bot', roles: ['operator'], ttl: '5m', issuer: 'agora', audience: 'agora-admin' })
    assert.ok((await rotated.verify(token)).ok, k.kid)
  }
  await assert.rejects(signOperatorToken(key.privateJwk, { subject: 'x', roles: [], ttl: '1h', issuer: 'agora', audience: 'agora-admin' }), /at least one role/)
  await assert.rejects(signOperatorToken(key.privateJwk, { subject: 'x', roles: ['operator'], ttl: 'forever', issuer: 'agora', audience: 'agora-admin' }), /ttl/)
  await assert.rejects(signOperatorToken(key.publicJwk, { subject: 'x', roles: ['operator'], ttl: '1h', issuer: 'agora', audience: 'agora-admin' }), /private JWK/)
})
