// What the switch needs to know about an X.509 certificate (node:crypto's parser): its SHA-256
// fingerprint (the key of the registry), serial, subject and validity, whether it chains to the scheme
// CA bundle, and whether it may authenticate a TLS client.
import { X509Certificate } from 'node:crypto'

/** OID of the TLS client authentication extended key usage (RFC 5280 §4.2.1.12). */
const CLIENT_AUTH_OID = '1.3.6.1.5.5.7.3.2'
/** Intermediates a chain may pass through before it reaches a certificate of the bundle. */
export const CHAIN_DEPTH_MAX = 4
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g

export interface CertificateFacts {
  /** SHA-256 of the DER certificate, 64 lowercase hex digits. */
  fingerprint: string
  serialNumber: string
  subject: string
  commonName: string | undefined
  notBefore: Date
  notAfter: Date
  pem: string
}

/** Throws an Error with a readable reason when the text is not one PEM certificate. */
export function parseCertificate(pem: string): X509Certificate {
  const blocks = pem.match(PEM_CERTIFICATE) ?? []
  if (blocks.length !== 1) throw new Error(`expected one PEM certificate, found ${blocks.length}`)
  return new X509Certificate(blocks[0]!)
}

export function certificateFacts(cert: X509Certificate): CertificateFacts {
  return {
    fingerprint: normalizeFingerprint(cert.fingerprint256)!,
    serialNumber: cert.serialNumber.toLowerCase(),
    subject: cert.subject.split('\n').join(', '),
    commonName: /(?:^|\n)CN=([^\n]+)/.exec(cert.subject)?.[1],
    notBefore: cert.validFromDate,
    notAfter: cert.validToDate,
    pem: cert.toString(),
  }
}

/** Every certificate of a PEM bundle (the scheme CA file). */
export function parseBundle(pem: string): X509Certificate[] {
  return (pem.match(PEM_CERTIFICATE) ?? []).map((block) => new X509Certificate(block))
}

/** True when `cert` chains to a self-signed root of the bundle: issued and signed by a CA certificate of
 *  the bundle, itself issued by one, and so on (intermediates in the bundle), as the TLS handshake checks. */
export function chainsTo(cert: X509Certificate, bundle: readonly X509Certificate[]): boolean {
  let current = cert
  for (let depth = 0; depth <= CHAIN_DEPTH_MAX; depth++) {
    const issuer = bundle.find((candidate) => candidate.ca && current.checkIssued(candidate) && current.verify(candidate.publicKey))
    if (!issuer) return false
    if (issuer.checkIssued(issuer)) return true
    current = issuer
  }
  return false
}

/** A certificate without extended key usages may be used for anything; one with them must list clientAuth. */
export function allowsClientAuth(cert: X509Certificate): boolean {
  const usages = cert.keyUsage
  return usages === undefined || usages.length === 0 || usages.includes(CLIENT_AUTH_OID)
}

/** "AB:CD:…" (Node, openssl -fingerprint) or bare hex, to 64 lowercase hex digits; undefined if neither. */
export function normalizeFingerprint(text: string | undefined): string | undefined {
  if (!text) return undefined
  const hex = text.replace(/:/g, '').toLowerCase()
  return /^[0-9a-f]{64}$/.test(hex) ? hex : undefined
}
