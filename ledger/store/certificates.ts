// Participants' TLS client certificates: register, list, find by fingerprint, revoke.
import type { Knex } from 'knex'

type Q = Knex | Knex.Transaction

export interface CertificateRecord {
  fingerprint: string
  participant: string
  serialNumber: string
  subject: string
  notBefore: Date
  notAfter: Date
  registeredAt: Date
  registeredBy: string
  revokedAt: Date | undefined
  revokedBy: string | undefined
}

export interface NewCertificate {
  fingerprint: string
  participantId: number
  serialNumber: string
  subject: string
  notBefore: Date
  notAfter: Date
  pem: string
  registeredBy: string
}

const COLUMNS = ['c.fingerprint_sha256', 'p.name', 'c.serial_number', 'c.subject', 'c.not_before', 'c.not_after', 'c.registered_at', 'c.registered_by', 'c.revoked_at', 'c.revoked_by']

function query(q: Q) {
  return q('participant_certificate as c').join('participant as p', 'p.id', 'c.participant_id').select(COLUMNS)
}

export async function insertCertificate(trx: Knex.Transaction, c: NewCertificate): Promise<void> {
  await trx('participant_certificate').insert({
    fingerprint_sha256: c.fingerprint, participant_id: c.participantId, serial_number: c.serialNumber, subject: c.subject.slice(0, 512),
    not_before: c.notBefore, not_after: c.notAfter, certificate: c.pem, registered_by: c.registeredBy,
  })
}

export async function findCertificate(q: Q, fingerprint: string, opts: { forUpdate?: boolean } = {}): Promise<CertificateRecord | undefined> {
  let select = query(q).where('c.fingerprint_sha256', fingerprint).first()
  if (opts.forUpdate && 'isTransaction' in q) select = select.forUpdate()
  const row = await select
  return row ? toRecord(row) : undefined
}

export async function certificatesOf(q: Q, participantId: number): Promise<CertificateRecord[]> {
  const rows = await query(q).where('c.participant_id', participantId).orderBy('c.registered_at').orderBy('c.fingerprint_sha256')
  return rows.map(toRecord)
}

export async function revokeCertificate(trx: Knex.Transaction, fingerprint: string, revokedBy: string, at: Date): Promise<void> {
  await trx('participant_certificate').where({ fingerprint_sha256: fingerprint }).whereNull('revoked_at').update({ revoked_at: at, revoked_by: revokedBy })
}

function toRecord(row: Record<string, unknown>): CertificateRecord {
  return {
    fingerprint: row.fingerprint_sha256 as string,
    participant: row.name as string,
    serialNumber: row.serial_number as string,
    subject: row.subject as string,
    notBefore: new Date(row.not_before as Date),
    notAfter: new Date(row.not_after as Date),
    registeredAt: new Date(row.registered_at as Date),
    registeredBy: row.registered_by as string,
    revokedAt: row.revoked_at ? new Date(row.revoked_at as Date) : undefined,
    revokedBy: (row.revoked_by as string | null) ?? undefined,
  }
}
