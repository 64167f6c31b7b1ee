// One setting row per participant (its JWS key, its API mode): stored, audited and announced to the
// participant directory, in one DB transaction.
import type { FastifyRequest } from 'fastify'
import { recordAudit } from '../../ledger/store/audit.ts'
import { actorOf } from './operator.ts'
import { requireParticipant } from './participants-routes.ts'
import type { AdminDeps } from './admin-deps.ts'

export interface ParticipantSetting {
  name: string
  table: 'participant_jws_key' | 'participant_api_mode'
  column: string
  value: string
  action: string
  detail: unknown
}

export async function setParticipantSetting(deps: AdminDeps, request: FastifyRequest, s: ParticipantSetting): Promise<void> {
  const actor = actorOf(request)
  await deps.db.transaction(async (trx) => {
    const p = await requireParticipant(trx, s.name)
    await trx(s.table).insert({ participant_id: p.id, [s.column]: s.value, changed_by: actor })
      .onConflict('participant_id').merge([s.column, 'changed_by', 'changed_at'])
    await recordAudit(trx, { actor, action: s.action, target: s.name, detail: s.detail })
  })
  deps.participantChanges.changed(s.name)
}
