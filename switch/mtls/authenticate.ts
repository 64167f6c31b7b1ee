// Participant authentication on the FSPIOP port (production): the TLS handshake has already checked that
// the client certificate was issued by the scheme CA; here the certificate must be registered, not
// revoked, valid now, and belong to the participant named in FSPIOP-Source. Anything else is refused with
// 3100 before the request is parsed or routed, so it changes nothing (central-ledger answers a
// FSPIOP-Source that is not the payer with 3100 too; see docs/adr/0008-participant-identity.md).
import { PROBE_PATHS } from '../observability/probe-paths.ts'
import { TLSSocket } from 'node:tls'
import type { Socket } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { FspiopError } from '../fspiop/errors.ts'
import type { ParticipantDirectory } from '../fspiop/directory.ts'
import type { CertificateRecord } from '../../ledger/store/certificates.ts'
import { normalizeFingerprint } from './certificates.ts'

/** Paths a probe or scraper may call with any certificate the CA issued, registered or not. */
const UNAUTHENTICATED_ROUTES: ReadonlySet<string> = new Set(PROBE_PATHS)

export function authenticateParticipants(app: FastifyInstance, deps: { directory: ParticipantDirectory }): void {
  // A TLS connection's peer certificate does not change: read it once per connection.
  const fingerprints = new WeakMap<Socket, string | undefined>()
  const fingerprintOf = (socket: Socket): string | undefined => {
    if (!fingerprints.has(socket)) {
      const peer = socket instanceof TLSSocket ? socket.getPeerCertificate() : undefined
      fingerprints.set(socket, normalizeFingerprint(peer?.fingerprint256))
    }
    return fingerprints.get(socket)
  }
  app.addHook('onRequest', async (request) => {
    if (UNAUTHENTICATED_ROUTES.has(request.routeOptions.url ?? '')) return
    const fingerprint = fingerprintOf(request.raw.socket)
    if (!fingerprint) throw new FspiopError('3100', 'no client certificate')
    const header = request.headers['fspiop-source']
    const source = Array.isArray(header) ? header[0] : header
    if (!source) throw new FspiopError('3102', 'FSPIOP-Source header is missing')
    const refusal = refusalOf(await deps.directory.certificate(fingerprint), source, new Date())
    if (refusal) {
      request.log.warn({ fingerprint, source, refusal }, 'participant authentication refused')
      throw new FspiopError('3100', refusal)
    }
  })
}

/** Why a request from this certificate with this FSPIOP-Source is refused, or undefined when it is not. */
export function refusalOf(certificate: CertificateRecord | undefined, source: string, now: Date): string | undefined {
  if (!certificate) return 'the client certificate is not registered'
  if (certificate.revokedAt && certificate.revokedAt <= now) return 'the client certificate is revoked'
  if (now < certificate.notBefore || now >= certificate.notAfter) return 'the client certificate is not valid now'
  if (certificate.participant !== source) return `FSPIOP-Source ${source.slice(0, 32)} is not the participant of the client certificate`
  return undefined
}
