// A test scheme's PKI for mutual TLS: a hub CA, the switch's certificate and participants' client
// certificates in a temporary directory, the production config that uses them, and DFSP clients that
// present a certificate over real TLS sockets.
import { call } from './fixtures.ts'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import { Agent, request } from 'undici'
import { createHubCa, issueCertificate, DEFAULT_HOSTS, type IssueOptions, type KeyAndCertificate } from '../../switch/mtls/hub-ca.ts'
import { certificateFacts, parseCertificate } from '../../switch/mtls/certificates.ts'
import type { Config } from '../../switch/config/config.ts'

export interface TestPki {
  dir: string
  ca: KeyAndCertificate
  hub: KeyAndCertificate
  files: { caFile: string; certFile: string; keyFile: string }
  /** A new client certificate (CN = name) from the scheme CA. */
  issue(name: string, opts?: Partial<IssueOptions>): KeyAndCertificate
}

export function createTestPki(hubName = 'Hub'): TestPki {
  const dir = mkdtempSync(path.join(tmpdir(), 'agora-pki-'))
  const ca = createHubCa({ commonName: `${hubName} test CA` })
  const hub = issueCertificate(ca, { commonName: hubName, hosts: DEFAULT_HOSTS })
  const files = { caFile: path.join(dir, 'ca.cert.pem'), certFile: path.join(dir, 'switch.cert.pem'), keyFile: path.join(dir, 'switch.key.pem') }
  writeFileSync(files.caFile, ca.cert)
  writeFileSync(files.certFile, hub.cert)
  writeFileSync(files.keyFile, hub.key)
  return { dir, ca, hub, files, issue: (name, opts) => issueCertificate(ca, { commonName: name, hosts: DEFAULT_HOSTS, ...opts }) }
}

/** Production mode with mutual TLS on the FSPIOP port, for startSwitch({ config }). */
export function productionConfig(pki: TestPki, extra: Partial<Config> = {}): Partial<Config> {
  return { env: 'production', tls: pki.files, ...extra }
}

export const fingerprintOf = (cert: string): string => certificateFacts(parseCertificate(cert)).fingerprint

/** A DFSP's HTTPS client: trusts the scheme CA, presents `identity` (or no certificate at all). */
export function tlsClient(pki: TestPki, identity?: KeyAndCertificate) {
  const agent = new Agent({ connect: { ca: pki.ca.cert, ...(identity ? { cert: identity.cert, key: identity.key } : {}) } })
  return {
    agent,
    async send(apiUrl: string, method: 'GET' | 'POST' | 'PUT', urlPath: string, headers: Record<string, string>, body?: unknown): Promise<{ status: number; body: any }> {
      const response = await request(`${apiUrl}${urlPath}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), dispatcher: agent })
      const text = await response.body.text()
      return { status: response.statusCode, body: text ? JSON.parse(text) : undefined }
    },
    close: () => agent.close(),
  }
}

export async function registerCertificate(admin: FastifyInstance, name: string, cert: string) {
  return call(admin, 'POST', `/participants/${name}/certificates`, { certificate: cert })
}

export async function revokeCertificate(admin: FastifyInstance, name: string, fingerprint: string) {
  return call(admin, 'DELETE', `/participants/${name}/certificates/${fingerprint}`)
}
