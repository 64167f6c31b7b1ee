// A small certificate authority for test schemes and laptops (`agora ca init`, `agora ca issue`): the hub
// CA, the switch's certificate (server, and client for its callbacks) and participants' client
// certificates (CN = the participant's name). A production scheme may use its own CA instead; the switch
// only needs the CA bundle and the participants' certificates registered. Keys are RSA 2048 made by
// node:crypto (fast); node-forge builds and signs the X.509 certificates.
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { isIP } from 'node:net'
import forge from 'node-forge'

export const KEY_BITS = 2048
export const CA_VALIDITY_DAYS = 3650
export const CERTIFICATE_VALIDITY_DAYS = 365
/** Names a certificate made here is valid for when none are given: the switch and DFSPs on one machine. */
export const DEFAULT_HOSTS: readonly string[] = ['localhost', '127.0.0.1']
const DAY_MS = 86_400_000

export interface KeyAndCertificate {
  /** PEM (PKCS#1 RSA private key). */
  key: string
  /** PEM certificate. */
  cert: string
}

export interface IssueOptions {
  commonName: string
  /** DNS names and IP addresses for the subjectAltName (a server's names; a client certificate may have none). */
  hosts?: readonly string[]
  validity_days?: number
  /** Start of validity (default: a minute ago, for clocks a little apart). */
  notBefore?: Date
  organization?: string
}

export function createHubCa(opts: { commonName?: string; validity_days?: number; organization?: string } = {}): KeyAndCertificate {
  const keys = rsaKeyPair()
  const cert = newCertificate(keys.publicKey, opts.validity_days ?? CA_VALIDITY_DAYS, undefined)
  const subject = names(opts.commonName ?? 'Agora hub CA', opts.organization)
  cert.setSubject(subject)
  cert.setIssuer(subject)
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ])
  cert.sign(keys.privateKey, forge.md.sha256.create())
  return { key: forge.pki.privateKeyToPem(keys.privateKey), cert: forge.pki.certificateToPem(cert) }
}

/** A certificate signed by `ca`, good for both TLS client and server authentication: a DFSP presents it
 *  to the switch and may serve its callback endpoint with it; the switch does the same the other way. */
export function issueCertificate(ca: KeyAndCertificate, opts: IssueOptions): KeyAndCertificate {
  const caCert = forge.pki.certificateFromPem(ca.cert)
  const caKey = forge.pki.privateKeyFromPem(ca.key)
  const keys = rsaKeyPair()
  const cert = newCertificate(keys.publicKey, opts.validity_days ?? CERTIFICATE_VALIDITY_DAYS, opts.notBefore)
  cert.setSubject(names(opts.commonName, opts.organization))
  cert.setIssuer(caCert.subject.attributes)
  const hosts = opts.hosts ?? []
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true, clientAuth: true },
    ...(hosts.length > 0 ? [{ name: 'subjectAltName', altNames: hosts.map((h) => (isIP(h) ? { type: 7, ip: h } : { type: 2, value: h })) }] : []),
    { name: 'subjectKeyIdentifier' },
    { name: 'authorityKeyIdentifier', keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ])
  cert.sign(caKey, forge.md.sha256.create())
  return { key: forge.pki.privateKeyToPem(keys.privateKey), cert: forge.pki.certificateToPem(cert) }
}

function rsaKeyPair(): { publicKey: forge.pki.rsa.PublicKey; privateKey: forge.pki.rsa.PrivateKey } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: KEY_BITS, privateKeyEncoding: { type: 'pkcs1', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } })
  const forgeKey = forge.pki.privateKeyFromPem(privateKey)
  return { privateKey: forgeKey, publicKey: forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e) }
}

function newCertificate(publicKey: forge.pki.rsa.PublicKey, validity_days: number, notBefore: Date | undefined): forge.pki.Certificate {
  const cert = forge.pki.createCertificate()
  cert.publicKey = publicKey
  // A positive serial of about 128 random bits (RFC 5280: at most 20 octets, positive): high bit clear.
  const serial = randomBytes(16)
  serial[0] = (serial[0]! & 0x7f) | 0x10
  cert.serialNumber = serial.toString('hex')
  const from = notBefore ?? new Date(Date.now() - 60_000)
  cert.validity.notBefore = from
  cert.validity.notAfter = new Date(from.getTime() + validity_days * DAY_MS)
  return cert
}

function names(commonName: string, organization: string | undefined): forge.pki.CertificateField[] {
  return [{ name: 'commonName', value: commonName }, ...(organization ? [{ name: 'organizationName', value: organization }] : [])]
}
