// Bearer tokens for operators: JWTs signed by keys the switch trusts, from two kinds of source:
// - the scheme's own keys (a local JWKS file, `agora operators keygen`), tokens with iss = AGORA_OPERATOR_ISSUER;
// - an OIDC provider the scheme runs (Keycloak, …), tokens with iss = AGORA_OIDC_ISSUER, keys from its JWKS URL.
// The token's `iss` picks the source; signature, `aud`, `exp` and `nbf` are then checked by jose.
// `sub` is the identity; the roles come from a configurable claim (Keycloak's realm_access.roles too).
import { readFileSync } from 'node:fs'
import { createLocalJWKSet, createRemoteJWKSet, decodeJwt, errors, jwtVerify, type JSONWebKeySet, type JWTPayload, type JWTVerifyGetKey } from 'jose'
import type { OperatorsConfig } from '../config/config.ts'
import { isOperatorRole, type OperatorIdentity, type OperatorRole } from '../config/operator-roles.ts'

export const TOKEN_ALGORITHMS = ['ES256', 'RS256'] as const
const CLOCK_TOLERANCE_S = 30
/** The audit log's actor column holds 128 characters; a longer subject is refused, never cut. */
export const SUBJECT_LENGTH_MAX = 128
const TOKEN_LENGTH_MAX = 16_384
const REMOTE_JWKS_TIMEOUT_MS = 5_000
const REMOTE_JWKS_COOLDOWN_MS = 30_000
const REMOTE_JWKS_CACHE_MAX_AGE_MS = 600_000

export type TokenCheck = { ok: true; identity: OperatorIdentity; expiresAt_ms: number } | { ok: false; reason: string; unavailable?: boolean }

export interface TokenVerifier {
  /** The issuers whose tokens are accepted. */
  readonly issuers: readonly string[]
  verify(token: string): Promise<TokenCheck>
}

/** undefined when no source is configured: then no token is accepted. Throws at start-up on a bad JWKS file. */
export function createTokenVerifier(config: OperatorsConfig): TokenVerifier | undefined {
  const sources = new Map<string, JWTVerifyGetKey>()
  if (config.jwksFile) sources.set(config.localIssuer, createLocalJWKSet(readJwksFile(config.jwksFile)))
  if (config.oidc) {
    sources.set(config.oidc.issuer, createRemoteJWKSet(new URL(config.oidc.jwksUrl), {
      timeoutDuration: REMOTE_JWKS_TIMEOUT_MS, cooldownDuration: REMOTE_JWKS_COOLDOWN_MS, cacheMaxAge: REMOTE_JWKS_CACHE_MAX_AGE_MS,
    }))
  }
  if (sources.size === 0) return undefined
  return {
    issuers: [...sources.keys()],
    async verify(token) {
      if (token.length > TOKEN_LENGTH_MAX) return { ok: false, reason: 'the token is too long' }
      let issuer: string | undefined
      try {
        issuer = decodeJwt(token).iss
      } catch {
        return { ok: false, reason: 'the bearer token is not a JWT' }
      }
      const keys = issuer === undefined ? undefined : sources.get(issuer)
      if (!keys || issuer === undefined) return { ok: false, reason: `tokens from issuer "${String(issuer).slice(0, 64)}" are not trusted` }
      try {
        const { payload } = await jwtVerify(token, keys, {
          issuer, audience: config.audience, algorithms: [...TOKEN_ALGORITHMS], clockTolerance: CLOCK_TOLERANCE_S, requiredClaims: ['sub', 'exp'],
        })
        return identityOf(payload, config.rolesClaim)
      } catch (error) {
        return refusal(error)
      }
    },
  }
}

function identityOf(payload: JWTPayload, rolesClaim: string): TokenCheck {
  const subject = payload.sub ?? ''
  if (subject.trim() === '' || subject.length > SUBJECT_LENGTH_MAX) return { ok: false, reason: `the token's sub must be 1 to ${SUBJECT_LENGTH_MAX} characters` }
  return { ok: true, identity: { subject, roles: rolesOf(payload, rolesClaim), via: 'token' }, expiresAt_ms: (payload.exp ?? 0) * 1000 }
}

/** The known roles in the claim (an array, or a space-separated string as some providers send); others are ignored. */
export function rolesOf(payload: JWTPayload, rolesClaim: string): OperatorRole[] {
  const raw = claimAt(payload, rolesClaim) ?? (rolesClaim === 'roles' ? claimAt(payload, 'realm_access.roles') : undefined)
  const values = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(' ') : []
  return [...new Set(values.filter(isOperatorRole))]
}

function claimAt(payload: JWTPayload, path: string): unknown {
  let value: unknown = payload
  for (const part of path.split('.')) {
    if (typeof value !== 'object' || value === null || !Object.hasOwn(value, part)) return undefined
    value = (value as Record<string, unknown>)[part]
  }
  return value
}

function refusal(error: unknown): TokenCheck {
  if (error instanceof errors.JWTExpired) return { ok: false, reason: 'the token has expired' }
  if (error instanceof errors.JWTClaimValidationFailed) return { ok: false, reason: `the token's ${error.claim} claim is not accepted (${error.reason})` }
  if (error instanceof errors.JWSSignatureVerificationFailed) return { ok: false, reason: 'the token\'s signature does not verify' }
  if (error instanceof errors.JWKSNoMatchingKey) return { ok: false, reason: 'no trusted key matches the token' }
  if (error instanceof errors.JWKSTimeout) return { ok: false, reason: 'the identity provider\'s keys could not be fetched', unavailable: true }
  if (error instanceof errors.JOSEAlgNotAllowed) return { ok: false, reason: `the token's algorithm is not accepted (${TOKEN_ALGORITHMS.join(', ')})` }
  if (error instanceof errors.JOSEError) return { ok: false, reason: `the token is not accepted (${error.code})` }
  // A remote JWKS that cannot be reached or parsed: the switch cannot decide, which is not the caller's fault.
  return { ok: false, reason: 'the identity provider\'s keys could not be fetched', unavailable: true }
}

/** A JWKS file holds public keys only: a private key in it is a mistake that would publish it. */
export function readJwksFile(file: string): JSONWebKeySet {
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new Error(`config: AGORA_OPERATOR_JWKS_FILE ${file} cannot be read as JSON (${(error as Error).message})`)
  }
  const keys = (parsed as { keys?: unknown }).keys
  if (!Array.isArray(keys) || keys.length === 0) throw new Error(`config: AGORA_OPERATOR_JWKS_FILE ${file} must be a JWKS: {"keys": [ … ]} with at least one key`)
  if (keys.some((k) => typeof k !== 'object' || k === null || 'd' in k)) throw new Error(`config: AGORA_OPERATOR_JWKS_FILE ${file} holds a private key; it must hold public keys only`)
  return parsed as JSONWebKeySet
}
