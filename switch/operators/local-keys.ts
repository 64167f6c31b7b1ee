// The scheme's own operator signing keys and the tokens made with them (`agora operators keygen|token`).
// A key pair is a private JWK (kept by whoever issues tokens) and its public half in the JWKS file the
// switch trusts (AGORA_OPERATOR_JWKS_FILE). Generating another key adds it to the JWKS: rotation is
// "keygen, issue new tokens, remove the old key from the JWKS when its tokens have expired".
import { existsSync } from 'node:fs'
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose'
import { readJwksFile, SUBJECT_LENGTH_MAX, TOKEN_ALGORITHMS } from './operator-tokens.ts'
import { isOperatorRole, type OperatorRole } from '../config/operator-roles.ts'

export type KeyAlgorithm = (typeof TOKEN_ALGORITHMS)[number]
export const JWKS_FILE_NAME = 'operators.jwks.json'
const TTL_PATTERN = /^[1-9]\d{0,5}(s|m|h|d)$/

export interface OperatorKey {
  readonly privateJwk: JWK
  readonly publicJwk: JWK
  readonly kid: string
}

export async function generateOperatorKey(alg: KeyAlgorithm): Promise<OperatorKey> {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'RS256' ? { modulusLength: 3072 } : {}) })
  const publicJwk = await exportJWK(publicKey)
  const kid = await calculateJwkThumbprint(publicJwk)
  const tags = { kid, alg, use: 'sig' }
  return { privateJwk: { ...(await exportJWK(privateKey)), ...tags }, publicJwk: { ...publicJwk, ...tags }, kid }
}

/** Writes the private key (mode 0600) and adds the public key to DIR/operators.jwks.json. */
export async function writeOperatorKey(dir: string, key: OperatorKey): Promise<{ privateKeyFile: string; jwksFile: string }> {
  await mkdir(dir, { recursive: true })
  const privateKeyFile = path.join(dir, `operator-key-${key.kid.slice(0, 12)}.private.jwk.json`)
  await writeFile(privateKeyFile, `${JSON.stringify(key.privateJwk, null, 2)}\n`, { mode: 0o600, flag: 'wx' })
  await chmod(privateKeyFile, 0o600)
  const jwksFile = path.join(dir, JWKS_FILE_NAME)
  const keys = existsSync(jwksFile) ? readJwksFile(jwksFile).keys : []
  await writeFile(jwksFile, `${JSON.stringify({ keys: [...keys, key.publicJwk] }, null, 2)}\n`)
  return { privateKeyFile, jwksFile }
}

export interface TokenRequest {
  readonly subject: string
  readonly roles: readonly OperatorRole[]
  /** e.g. 30m, 8h, 7d */
  readonly ttl: string
  readonly issuer: string
  readonly audience: string
}

export async function signOperatorToken(privateJwk: JWK, request: TokenRequest, now_s = Math.floor(Date.now() / 1000)): Promise<string> {
  const alg = privateJwk.alg
  if (!alg || !(TOKEN_ALGORITHMS as readonly string[]).includes(alg) || !privateJwk.d) throw new Error(`the key must be a private JWK with alg ${TOKEN_ALGORITHMS.join(' or ')} (agora operators keygen)`)
  if (!request.subject || request.subject.length > SUBJECT_LENGTH_MAX) throw new Error(`the subject must be 1 to ${SUBJECT_LENGTH_MAX} characters`)
  if (request.roles.length === 0 || !request.roles.every(isOperatorRole)) throw new Error('at least one role: operator, finance, regulator, auditor')
  if (!TTL_PATTERN.test(request.ttl)) throw new Error(`the ttl must look like 30m, 8h or 7d, got "${request.ttl}"`)
  return new SignJWT({ roles: [...request.roles] })
    .setProtectedHeader({ alg, kid: privateJwk.kid, typ: 'JWT' })
    .setSubject(request.subject)
    .setIssuer(request.issuer)
    .setAudience(request.audience)
    .setIssuedAt(now_s)
    .setNotBefore(now_s)
    .setExpirationTime(now_s + ttlSeconds(request.ttl))
    .sign(await importJWK(privateJwk, alg))
}

export async function readPrivateKey(file: string): Promise<JWK> {
  return JSON.parse(await readFile(file, 'utf8')) as JWK
}

function ttlSeconds(ttl: string): number {
  const unit = ttl.slice(-1)
  const count = Number(ttl.slice(0, -1))
  return count * ({ s: 1, m: 60, h: 3_600, d: 86_400 } as Record<string, number>)[unit]!
}
