// Robots on the admin API (AGORA_ADMIN_CLIENTS_FILE): client certificates, by SHA-256 fingerprint, mapped
// to an operator identity and its roles, e.g.
//   { "3f2a…64 hex": { "subject": "deploy-bot", "roles": ["operator"] } }
// Read once at start-up; anything wrong in the file stops the start (docs/adr/0009-operator-identity.md).
import { readFileSync } from 'node:fs'
import { TLSSocket } from 'node:tls'
import type { Socket } from 'node:net'
import { normalizeFingerprint } from '../mtls/certificates.ts'
import { OPERATOR_ROLES, isOperatorRole, type OperatorIdentity, type OperatorRole } from '../config/operator-roles.ts'

const SUBJECT_LENGTH_MAX = 128

/** Fingerprint (64 lowercase hex digits) -> the identity its certificate authenticates as. */
export type AdminClients = ReadonlyMap<string, OperatorIdentity>

export function readAdminClients(file: string | undefined): AdminClients {
  if (!file) return new Map()
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new Error(`config: AGORA_ADMIN_CLIENTS_FILE ${file} cannot be read: ${(error as Error).message}`)
  }
  return parseAdminClients(text, file)
}

/** Throws an Error naming the file and the bad entry. */
export function parseAdminClients(text: string, source: string): AdminClients {
  const fail = (why: string): never => { throw new Error(`config: AGORA_ADMIN_CLIENTS_FILE ${source}: ${why}`) }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    return fail(`not JSON (${(error as Error).message})`)
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return fail('must be an object of fingerprint: { "subject", "roles" }')
  const clients = new Map<string, OperatorIdentity>()
  for (const [key, entry] of Object.entries(parsed)) {
    const fingerprint = /^[0-9a-f]{64}$/.test(key) ? key : undefined
    if (!fingerprint) {
      fail(`"${key.slice(0, 80)}" is not a SHA-256 fingerprint of 64 lowercase hex digits${normalizeFingerprint(key) ? ` (write it as ${normalizeFingerprint(key)})` : ''}`)
    }
    const { subject, roles } = (typeof entry === 'object' && entry !== null ? entry : {}) as { subject?: unknown; roles?: unknown }
    if (typeof subject !== 'string' || subject.trim() === '' || subject.length > SUBJECT_LENGTH_MAX) {
      fail(`${key}: "subject" must be a name of 1 to ${SUBJECT_LENGTH_MAX} characters`)
    }
    if (!Array.isArray(roles) || roles.length === 0) fail(`${key}: "roles" must be a non-empty list of ${OPERATOR_ROLES.join(', ')}`)
    const unknown = (roles as unknown[]).filter((role) => !isOperatorRole(role))
    if (unknown.length > 0) fail(`${key}: unknown role ${unknown.map((r) => JSON.stringify(r)).join(', ')} (roles: ${OPERATOR_ROLES.join(', ')})`)
    clients.set(key, { subject: (subject as string).trim(), roles: [...new Set(roles as OperatorRole[])], via: 'certificate' })
  }
  return clients
}

/** The identity of a TLS connection's client certificate: only one the handshake verified against the scheme
 *  CA (`authorized`), and only one the clients file maps. Read once per connection. */
export function certificateIdentities(clients: AdminClients): (socket: Socket) => OperatorIdentity | undefined {
  const identities = new WeakMap<Socket, OperatorIdentity | undefined>()
  return (socket) => {
    if (clients.size === 0 || !(socket instanceof TLSSocket)) return undefined
    if (!identities.has(socket)) {
      const fingerprint = socket.authorized ? normalizeFingerprint(socket.getPeerCertificate().fingerprint256) : undefined
      identities.set(socket, fingerprint ? clients.get(fingerprint) : undefined)
    }
    return identities.get(socket)
  }
}
