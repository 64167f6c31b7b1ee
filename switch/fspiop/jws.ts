// FSPIOP-Signature (JWS, RS256, detached): the JSON header {"signature","protectedHeader"}; the protected
// header carries FSPIOP-URI, FSPIOP-HTTP-Method, FSPIOP-Source and, when sent, FSPIOP-Destination and
// Date; the signature covers protectedHeader + "." + base64url(body as sent).
import { createSign, createVerify } from 'node:crypto'

type Headers = Record<string, string | string[] | undefined>

const one = (h: Headers, name: string) => {
  const v = h[name]
  return Array.isArray(v) ? v[0] : v
}

export type JwsCheck = { ok: true } | { ok: false; reason: string }

export function verifyJws(headers: Headers, rawBody: string, publicKeyPem: string | undefined): JwsCheck {
  const header = one(headers, 'fspiop-signature')
  if (!header) return { ok: false, reason: 'FSPIOP-Signature is missing' }
  if (!publicKeyPem) return { ok: false, reason: `no public key registered for ${one(headers, 'fspiop-source')}` }
  let parsed: { signature?: string; protectedHeader?: string }
  let protectedHeader: Record<string, string>
  try {
    parsed = JSON.parse(header)
    protectedHeader = JSON.parse(Buffer.from(parsed.protectedHeader ?? '', 'base64url').toString('utf8'))
  } catch {
    return { ok: false, reason: 'FSPIOP-Signature is not a JWS signature object' }
  }
  if (protectedHeader.alg !== 'RS256') return { ok: false, reason: `alg ${protectedHeader.alg} is not RS256` }
  const must: [string, string][] = [['FSPIOP-URI', 'fspiop-uri'], ['FSPIOP-HTTP-Method', 'fspiop-http-method'], ['FSPIOP-Source', 'fspiop-source']]
  for (const [claim, name] of must) {
    if (!protectedHeader[claim] || protectedHeader[claim] !== one(headers, name)) return { ok: false, reason: `${claim} in the signature does not match the ${name} header` }
  }
  for (const [claim, name] of [['FSPIOP-Destination', 'fspiop-destination'], ['Date', 'date']] as const) {
    if (protectedHeader[claim] !== undefined && protectedHeader[claim] !== one(headers, name)) return { ok: false, reason: `${claim} in the signature does not match the ${name} header` }
  }
  const verifier = createVerify('RSA-SHA256')
  verifier.update(`${parsed.protectedHeader}.${Buffer.from(rawBody).toString('base64url')}`)
  try {
    if (!verifier.verify(publicKeyPem, Buffer.from(parsed.signature ?? '', 'base64url'))) return { ok: false, reason: 'the signature does not match the body and headers' }
  } catch (error) {
    return { ok: false, reason: `the signature cannot be checked: ${(error as Error).message}` }
  }
  return { ok: true }
}

/** Signs an outgoing message whose headers already carry FSPIOP-URI, -HTTP-Method and -Source. */
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
