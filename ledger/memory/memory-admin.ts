// What the admin routes read and record on the in-memory ledger: participants and accounts by key, and
// the audit chain (ledger/domain/audit-chain.ts), appended in the unit of work of the change it records.
import type { AdminLedgerTx } from '../funds-settlement-port.ts'
import { entryHash, GENESIS_HASH } from '../domain/audit-chain.ts'
import type { MemoryLedgerTables } from './memory-tables.ts'

export function memoryAdminTx(t: MemoryLedgerTables): AdminLedgerTx {
  return {
    async findParticipant(name) {
      const found = t.participants.first((p) => p.name === name)
      return found && { id: found.id, name: found.name }
    },
    async findAccount(id) {
      const a = t.accounts.get(id)
      return a && { id: a.id, participantId: a.participant_id, currency: a.currency, type: a.type, isActive: !t.inactiveAccounts.has(a.id) }
    },
    async recordAudit(record) {
      const head = t.auditHead.get('HEAD') ?? { seq: 0n, hash: GENESIS_HASH }
      const fields = {
        seq: head.seq + 1n, actor: record.actor, action: record.action, target: record.target ?? null,
        detail: record.detail === undefined ? null : JSON.parse(JSON.stringify(record.detail)), createdAt: t.db.clock(),
      }
      const hash = entryHash(head.hash, fields)
      t.audit.append({ ...fields, id: t.ids.audit.next(), prevHash: head.hash, hash })
      t.auditHead.set('HEAD', { seq: fields.seq, hash })
    },
  }
}
