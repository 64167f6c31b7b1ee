// `agora ca …`: a small hub CA for test schemes, in a directory of PEM files.
//   ca init --dir DIR [--hub NAME] [--host localhost,127.0.0.1]   the CA and the switch's certificate
//   ca issue NAME --dir DIR --out DIR [--host …] [--days 365]      a participant's key and certificate
import { parseArgs } from 'node:util'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { createHubCa, DEFAULT_HOSTS, issueCertificate, type KeyAndCertificate } from './hub-ca.ts'
import { certificateFacts, parseCertificate } from './certificates.ts'

export const CA_USAGE = `ca init --dir DIR [--hub Hub] [--host localhost,127.0.0.1]
                                hub CA (ca.cert.pem, ca.key.pem) and the switch's certificate (switch.cert.pem, switch.key.pem)
  ca issue NAME --dir DIR --out DIR [--host localhost,127.0.0.1] [--days 365]
                                a participant's key and client certificate (CN = NAME): NAME.key.pem, NAME.cert.pem`

export const CA_FILES = { caCert: 'ca.cert.pem', caKey: 'ca.key.pem', switchCert: 'switch.cert.pem', switchKey: 'switch.key.pem' } as const
const NAME = /^[A-Za-z0-9_.-]{2,30}$/

export async function caCommand(argv: string[]): Promise<void> {
  const { values: f, positionals } = parseArgs({
    args: argv, allowPositionals: true, strict: true,
    options: { dir: { type: 'string' }, out: { type: 'string' }, hub: { type: 'string' }, host: { type: 'string' }, days: { type: 'string' }, admin: { type: 'string' }, operator: { type: 'string' } },
  })
  const [sub, name] = positionals
  if (!f.dir) throw new Error(`--dir is required\nusage: agora ${CA_USAGE}`)
  const hosts = f.host ? f.host.split(',').map((h) => h.trim()).filter(Boolean) : DEFAULT_HOSTS
  if (sub === 'init') return print(initCa(f.dir, { hubName: f.hub ?? 'Hub', hosts }))
  if (sub === 'issue') {
    if (!name || !NAME.test(name)) throw new Error('usage: agora ca issue NAME --dir DIR --out DIR (NAME: the participant\'s name)')
    if (!f.out) throw new Error('--out is required')
    const days = f.days === undefined ? undefined : Number(f.days)
    if (days !== undefined && !(Number.isInteger(days) && days > 0)) throw new Error('--days must be a whole number of days')
    return print(issueParticipant(f.dir, f.out, name, { hosts, validity_days: days }))
  }
  throw new Error(`usage: agora ${CA_USAGE}`)
}

/** Writes the CA and the switch's certificate; refuses to overwrite an existing CA key. */
export function initCa(dir: string, opts: { hubName: string; hosts: readonly string[] }) {
  const caKeyFile = path.join(dir, CA_FILES.caKey)
  if (existsSync(caKeyFile)) throw new Error(`${caKeyFile} exists: this directory already has a CA`)
  mkdirSync(dir, { recursive: true })
  const ca = createHubCa({ commonName: `${opts.hubName} CA` })
  const server = issueCertificate(ca, { commonName: opts.hubName, hosts: opts.hosts })
  write(dir, CA_FILES.caCert, ca.cert, 0o644)
  write(dir, CA_FILES.caKey, ca.key, 0o600)
  write(dir, CA_FILES.switchCert, server.cert, 0o644)
  write(dir, CA_FILES.switchKey, server.key, 0o600)
  return {
    ca: path.join(dir, CA_FILES.caCert), switchCertificate: path.join(dir, CA_FILES.switchCert), switchKey: path.join(dir, CA_FILES.switchKey),
    settings: { AGORA_TLS_CA_FILE: path.resolve(dir, CA_FILES.caCert), AGORA_TLS_CERT_FILE: path.resolve(dir, CA_FILES.switchCert), AGORA_TLS_KEY_FILE: path.resolve(dir, CA_FILES.switchKey) },
  }
}

export function issueParticipant(dir: string, out: string, name: string, opts: { hosts: readonly string[]; validity_days?: number }) {
  const ca: KeyAndCertificate = { cert: readFileSync(path.join(dir, CA_FILES.caCert), 'utf8'), key: readFileSync(path.join(dir, CA_FILES.caKey), 'utf8') }
  const issued = issueCertificate(ca, { commonName: name, hosts: opts.hosts, validity_days: opts.validity_days })
  mkdirSync(out, { recursive: true })
  write(out, `${name}.cert.pem`, issued.cert, 0o644)
  write(out, `${name}.key.pem`, issued.key, 0o600)
  const facts = certificateFacts(parseCertificate(issued.cert))
  return {
    participant: name, certificate: path.join(out, `${name}.cert.pem`), key: path.join(out, `${name}.key.pem`), ca: path.join(dir, CA_FILES.caCert),
    fingerprint: facts.fingerprint, notAfter: facts.notAfter.toISOString(),
  }
}

function write(dir: string, file: string, text: string, mode: number): void {
  writeFileSync(path.join(dir, file), text, { mode })
}

function print(value: unknown): void {
  console.log(JSON.stringify(value, null, 2))
}
