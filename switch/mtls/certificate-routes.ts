// Participants' TLS client certificates on the admin API:
//   POST   /participants/{name}/certificates                {certificate: PEM}   register (201)
//   GET    /participants/{name}/certificates                                     list
//   DELETE /participants/{name}/certificates/{fingerprint}                       revoke (at once here,
//          within CERTIFICATE_CACHE_TTL_MS in other replicas)
// Rotation: register the new certificate, let the DFSP switch to it, revoke the old one; both are valid
// in between. Registration checks that the certificate chains to the scheme CA (AGORA_TLS_CA_FILE), is
// valid now, is not a CA and may authenticate a TLS client. Every change is audited in its transaction.
import type { X509Certificate } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { FspiopError } from '../fspiop/errors.ts'
import { recordAudit } from '../../ledger/store/audit.ts'
import { certificatesOf, findCertificate, insertCertificate, revokeCertificate, type CertificateRecord } from '../../ledger/store/certificates.ts'
import { actorOf } from '../admin/operator.ts'
import { nameParam } from '../admin/schemas.ts'
import { requireParticipant } from '../admin/participants-routes.ts'
import type { AdminDeps } from '../admin/admin-deps.ts'
import { allowsClientAuth, certificateFacts, chainsTo, normalizeFingerprint, parseBundle, parseCertificate } from './certificates.ts'
import { readCaBundle } from './tls-files.ts'

const PEM_LENGTH_MAX = 16_384
const registerBody = {
  type: 'object', required: ['certificate'], additionalProperties: false,
  properties: { certificate: { type: 'string', minLength: 100, maxLength: PEM_LENGTH_MAX } },
} as const
const fingerprintParams = {
  type: 'object', required: ['name', 'fingerprint'],
  properties: { name: nameParam.properties.name, fingerprint: { type: 'string', pattern: '^([0-9A-Fa-f]{64}|([0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2})$' } },
} as const

type State = 'ACTIVE' | 'REVOKED' | 'EXPIRED' | 'NOT_YET_VALID'

export function certificateView(c: CertificateRecord, now = new Date()) {
  const state: State = c.revokedAt ? 'REVOKED' : now >= c.notAfter ? 'EXPIRED' : now < c.notBefore ? 'NOT_YET_VALID' : 'ACTIVE'
  return {
    fingerprint: c.fingerprint, participant: c.participant, state, serialNumber: c.serialNumber, subject: c.subject,
    notBefore: c.notBefore.toISOString(), notAfter: c.notAfter.toISOString(),
    registeredAt: c.registeredAt.toISOString(), registeredBy: c.registeredBy,
    ...(c.revokedAt ? { revokedAt: c.revokedAt.toISOString(), revokedBy: c.revokedBy } : {}),
  }
}

export async function certificateRoutes(app: FastifyInstance, deps: AdminDeps): Promise<void> {
  const { db } = deps
  const caBundle = readCaBundle(deps.config)
  const trusted = caBundle === undefined ? undefined : parseBundle(caBundle)

  app.post<{ Params: { name: string }; Body: { certificate: string } }>('/participants/:name/certificates', { schema: { params: nameParam, body: registerBody } }, async (request, reply) => {
    if (!trusted || trusted.length === 0) throw new FspiopError('3100', 'the switch has no scheme CA bundle (AGORA_TLS_CA_FILE) to check certificates against')
    let cert: X509Certificate
    try {
      cert = parseCertificate(request.body.certificate)
    } catch (error) {
      throw new FspiopError('3101', `certificate: ${(error as Error).message}`)
    }
    const facts = certificateFacts(cert)
    const now = new Date()
    if (cert.ca) throw new FspiopError('3100', 'certificate is a CA certificate, not a participant\'s')
    if (!chainsTo(cert, trusted)) throw new FspiopError('3100', 'certificate is not issued by the scheme CA')
    if (now < facts.notBefore || now >= facts.notAfter) throw new FspiopError('3100', `certificate is not valid now (${facts.notBefore.toISOString()} to ${facts.notAfter.toISOString()})`)
    if (!allowsClientAuth(cert)) throw new FspiopError('3100', 'certificate may not authenticate a TLS client (extendedKeyUsage lacks clientAuth)')
    const { name } = request.params
    const actor = actorOf(request)
    const record = await db.transaction(async (trx) => {
      const p = await requireParticipant(trx, name)
      const existing = await findCertificate(trx, facts.fingerprint, { forUpdate: true })
      if (existing) throw new FspiopError('3000', `the certificate is already registered to ${existing.participant}${existing.revokedAt ? ' (revoked)' : ''}`)
      await insertCertificate(trx, { ...facts, participantId: p.id, registeredBy: actor })
      await recordAudit(trx, {
        actor, action: 'participant.certificate.register', target: name,
        detail: { fingerprint: facts.fingerprint, serialNumber: facts.serialNumber, subject: facts.subject, notBefore: facts.notBefore, notAfter: facts.notAfter },
      })
      return (await findCertificate(trx, facts.fingerprint))!
    })
    deps.participantChanges.changed(name)
    return reply.code(201).send(certificateView(record))
  })

  app.get<{ Params: { name: string } }>('/participants/:name/certificates', { schema: { params: nameParam } }, async (request) => {
    const p = await requireParticipant(db, request.params.name)
    const now = new Date()
    return (await certificatesOf(db, p.id)).map((c) => certificateView(c, now))
  })

  app.delete<{ Params: { name: string; fingerprint: string } }>('/participants/:name/certificates/:fingerprint', { schema: { params: fingerprintParams } }, async (request) => {
    const { name } = request.params
    const fingerprint = normalizeFingerprint(request.params.fingerprint)!
    const actor = actorOf(request)
    const record = await db.transaction(async (trx) => {
      await requireParticipant(trx, name)
      const found = await findCertificate(trx, fingerprint, { forUpdate: true })
      if (!found || found.participant !== name) throw new FspiopError('3200', `${name} has no certificate ${fingerprint}`)
      if (found.revokedAt) return found
      await revokeCertificate(trx, fingerprint, actor, new Date())
      await recordAudit(trx, { actor, action: 'participant.certificate.revoke', target: name, detail: { fingerprint } })
      return (await findCertificate(trx, fingerprint))!
    })
    deps.participantChanges.changed(name)
    return certificateView(record)
  })
}
