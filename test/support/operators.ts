// A production admin app with real operator credentials: a fresh ES256 key, its JWKS file, and tokens
// for any subject and roles, as `agora operators keygen|token` makes them.
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import { SignJWT, importJWK, type JWTPayload } from 'jose'
import type { Config } from '../../switch/config/config.ts'
import type { Db } from '../../ledger/store/db.ts'
import { generateOperatorKey, signOperatorToken, writeOperatorKey, type OperatorKey } from '../../switch/operators/local-keys.ts'
import type { OperatorRole } from '../../switch/config/operator-roles.ts'
import { testAdminApp } from './apps.ts'

export interface OperatorKeys {
  key: OperatorKey
  jwksFile: string
  operators: Config['operators']
  token(subject: string, roles: readonly OperatorRole[], ttl?: string): Promise<string>
  /** Any claims at all, signed with the trusted key (for tokens the CLI would refuse to make). */
  sign(claims: JWTPayload, key?: OperatorKey): Promise<string>
}

export async function operatorKeys(): Promise<OperatorKeys> {
  const key = await generateOperatorKey('ES256')
  const { jwksFile } = await writeOperatorKey(await mkdtemp(path.join(tmpdir(), 'agora-operators-')), key)
  const operators: Config['operators'] = { jwksFile, localIssuer: 'agora', oidc: undefined, audience: 'agora-admin', rolesClaim: 'roles' }
  return {
    key, jwksFile, operators,
    token: (subject, roles, ttl = '1h') => signOperatorToken(key.privateJwk, { subject, roles, ttl, issuer: 'agora', audience: 'agora-admin' }),
    sign: async (claims, signingKey = key) => new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: key.kid }).sign(await importJWK(signingKey.privateJwk, 'ES256')),
  }
}

export async function productionAdminApp(db: Db, keys: OperatorKeys, config: Partial<Config> = {}): Promise<FastifyInstance> {
  return testAdminApp(db, { config: { env: 'production', operators: keys.operators, ...config } })
}

export function bearer(token: string): { authorization: string } {
  return { authorization: `Bearer ${token}` }
}
