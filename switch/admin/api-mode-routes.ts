// A participant's API mode: PUT/GET /participants/{name}/apiMode with {"apiMode": "FSPIOP" | "ISO20022"}.
// An ISO20022 participant sends and receives /parties, /quotes and /transfers in the ISO 20022 variant of
// FSPIOP v2.0 (docs/adr/0010-iso20022-mode.md); the default is FSPIOP.
import type { FastifyInstance } from 'fastify'
import { nameParam } from './schemas.ts'
import { requireParticipant } from './participants-routes.ts'
import type { AdminDeps } from './admin-deps.ts'
import { setParticipantSetting } from './participant-setting.ts'
import { API_MODES, DEFAULT_API_MODE, type ApiMode } from '../fspiop/api-mode.ts'

const modeBody = { type: 'object', required: ['apiMode'], additionalProperties: false, properties: { apiMode: { type: 'string', enum: [...API_MODES] } } } as const

export async function apiModeRoutes(app: FastifyInstance, deps: AdminDeps): Promise<void> {
  app.put<{ Params: { name: string }; Body: { apiMode: ApiMode } }>('/participants/:name/apiMode', { schema: { params: nameParam, body: modeBody } }, async (request) => {
    const { name } = request.params
    await setParticipantSetting(deps, request, { name, table: 'participant_api_mode', column: 'api_mode', value: request.body.apiMode, action: 'participant.apiMode.set', detail: request.body })
    return { name, apiMode: request.body.apiMode }
  })

  app.get<{ Params: { name: string } }>('/participants/:name/apiMode', { schema: { params: nameParam } }, async (request) => {
    const p = await requireParticipant(deps.db, request.params.name)
    const row = await deps.db('participant_api_mode').where({ participant_id: p.id }).first()
    return { name: p.name, apiMode: (row?.api_mode as ApiMode | undefined) ?? DEFAULT_API_MODE }
  })
}
