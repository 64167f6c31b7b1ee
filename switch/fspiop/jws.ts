// FSPIOP-Signature (JWS, detached, the FSPIOP API's Signature document): the JSON header
// {"signature","protectedHeader"}; the protected header carries FSPIOP-URI, FSPIOP-HTTP-Method,
// FSPIOP-Source and, when sent, FSPIOP-Destination and Date; the signature covers
// protectedHeader + "." + base64url(body as sent).
//
// Verification binds the signature to the request that carries it (Signature §3.3): the signed FSPIOP-URI
// must be the request's real path and query and FSPIOP-HTTP-Method its real method, not only what the
// FSPIOP-URI / FSPIOP-HTTP-Method headers say, so a signed message cannot be replayed onto another
// resource. The signed Date must be the Date header and within a window of the switch's clock, so it
// cannot be replayed later. The headers must match what is signed too, as the Mojaloop SDK's validator
// requires, so what the switch passes on verifies at the receiving DFSP.
import { createSign, createVerify } from 'node:crypto'
import { fspiopUriOf, sameFspiopUri } from './fspiop-uri.ts'

type Headers = Record<string, string | string[] | undefined>

const one = (h: Headers, name: string) => {
  const v = h[name]
  return Array.isArray(v) ? v[0] : v
}

/** The algorithms the Signature document allows (§3.2: RS256, RS384, RS512). */
const ALGORITHMS: Record<string, string> = { RS256: 'RSA-SHA256', RS384: 'RSA-SHA384', RS512: 'RSA-SHA512' }

export interface ReceivedRequest {
  method: string
  /** The request target as received: path and query. */
  url: string
  headers: Headers
  /** The body as it arrived. */
  rawBody: string
}

export interface JwsPolicy {
  /** How far the signed Date may be from the switch's clock, either way (seconds). */
  dateWindow_s: number
  /** The switch's clock (ms since the epoch); for tests. */
  now?: () => number
}

export type JwsCheck = { ok: true } | { ok: false; reason: string }

const refuse = (reason: string): JwsCheck => ({ ok: false, reason })

export function verifyJws(request: ReceivedRequest, publicKeyPem: string | undefined, policy: JwsPolicy): JwsCheck {
  const { headers } = request
  const header = one(headers, 'fspiop-signature')
  if (!header) return refuse('FSPIOP-Signature is missing')
  if (!publicKeyPem) return refuse(`no public key registered for ${one(headers, 'fspiop-source')}`)
  let parsed: { signature?: unknown; protectedHeader?: unknown }
  let claims: Record<string, unknown>
  try {
    parsed = JSON.parse(header)
    if (typeof parsed.protectedHeader !== 'string' || typeof parsed.signature !== 'string') throw new Error('not a signature object')
    claims = JSON.parse(Buffer.from(parsed.protectedHeader, 'base64url').toString('utf8'))
    if (typeof claims !== 'object' || claims === null) throw new Error('not an object')
  } catch {
    return refuse('FSPIOP-Signature is not a JWS signature object')
  }
  const algorithm = typeof claims.alg === 'string' ? ALGORITHMS[claims.alg] : undefined
  if (!algorithm) return refuse(`alg ${String(claims.alg)} is not RS256, RS384 or RS512`)
  const verifier = createVerify(algorithm)
  verifier.update(`${parsed.protectedHeader}.${Buffer.from(request.rawBody).toString('base64url')}`)
  try {
    if (!verifier.verify(publicKeyPem, Buffer.from(parsed.signature, 'base64url'))) return refuse('the signature does not verify: body or protected header changed')
  } catch (error) {
    return refuse(`the signature cannot be checked: ${(error as Error).message}`)
  }
  return checkClaims(request, claims, policy)
}

/** What the protected header says against the request that carries it. */
function checkClaims(request: ReceivedRequest, claims: Record<string, unknown>, policy: JwsPolicy): JwsCheck {
  const { headers } = request
  const claim = (name: string) => (typeof claims[name] === 'string' ? (claims[name] as string) : undefined)
  for (const name of ['FSPIOP-URI', 'FSPIOP-HTTP-Method', 'FSPIOP-Source', 'Date']) {
    if (!claim(name)) return refuse(`the protected header has no ${name}`)
  }
  const uri = claim('FSPIOP-URI')!
  if (!sameFspiopUri(uri, fspiopUriOf(request.url))) return refuse(`signed FSPIOP-URI ${uri} is not the request's path`)
  const method = claim('FSPIOP-HTTP-Method')!
  if (method !== request.method.toUpperCase()) return refuse(`signed FSPIOP-HTTP-Method ${method} is not the request's ${request.method.toUpperCase()}`)
  // Each header must say what is signed (the SDK's validator, at the DFSP the switch passes it on to, checks this).
  for (const [name, header] of [['FSPIOP-URI', 'fspiop-uri'], ['FSPIOP-HTTP-Method', 'fspiop-http-method'], ['FSPIOP-Source', 'fspiop-source'], ['Date', 'date']] as const) {
    const value = one(headers, header)
    if (value === undefined) return refuse(`the ${name} header is missing (it is signed)`)
    if (value !== claim(name)) return refuse(`the ${name} header does not match the signed ${name}`)
  }
  // FSPIOP-Destination is protected whenever the sender knows it (Signature §3.1); a header it sent
  // unprotected could be pointed at anyone.
  const destination = one(headers, 'fspiop-destination')
  const signedDestination = claims['FSPIOP-Destination']
  if (destination && signedDestination === undefined) return refuse('FSPIOP-Destination is sent but not signed')
  if (signedDestination !== undefined && signedDestination !== destination) return refuse('the FSPIOP-Destination header does not match the signed FSPIOP-Destination')
  const date = Date.parse(claim('Date')!)
  if (Number.isNaN(date)) return refuse('the signed Date is not an HTTP date')
  const skew_s = Math.round(Math.abs((policy.now?.() ?? Date.now()) - date) / 1000)
  if (skew_s > policy.dateWindow_s) return refuse(`the signed Date is ${skew_s} s from the switch's clock (more than ${policy.dateWindow_s} s)`)
  return { ok: true }
}

/** Signs an outgoing message whose headers already carry FSPIOP-URI, -HTTP-Method and -Source (and the
 *  Date and FSPIOP-Destination it is sent with, which are then protected too). RS256. */
export function signJws(headers: Record<string, string>, body: string, privateKeyPem: string): string {
  const claims: Record<string, string> = {
    alg: 'RS256', 'FSPIOP-URI': headers['fspiop-uri']!, 'FSPIOP-HTTP-Method': headers['fspiop-http-method']!, 'FSPIOP-Source': headers['fspiop-source']!,
  }
  if (headers['fspiop-destination']) claims['FSPIOP-Destination'] = headers['fspiop-destination']
  if (headers.date) claims.Date = headers.date
  const protectedHeader = Buffer.from(JSON.stringify(claims)).toString('base64url')
  const signer = createSign('RSA-SHA256')
  signer.update(`${protectedHeader}.${Buffer.from(body).toString('base64url')}`)
  return JSON.stringify({ signature: signer.sign(privateKeyPem).toString('base64url'), protectedHeader })
}
