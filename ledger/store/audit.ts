// The operator audit log: who did what to which participant or account, with what they sent.
import type { Knex } from 'knex'

export interface AuditRecord {
  actor: string
  action: string
  target?: string
  detail?: unknown
}

export async function recordAudit(trx: Knex | Knex.Transaction, record: AuditRecord): Promise<void> {
  await trx('audit_log').insert({
    actor: record.actor,
    action: record.action,
    target: record.target ?? null,
    detail: record.detail === undefined ? null : JSON.stringify(record.detail),
  })
}
