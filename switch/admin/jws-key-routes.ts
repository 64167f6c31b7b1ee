// A DFSP's public key for FSPIOP-Signature: PUT/GET /participants/{name}/jwsKey.
import { createPublicKey } from 'node:crypto'
import type { FastifyInstance } from 'fastify'
import { FspiopError } from '../fspiop/errors.ts'
import { nameParam } from './schemas.ts'
import { requireParticipant } from './participants-routes.ts'
import type { AdminDeps } from './admin-deps.ts'
import { setParticipantSetting } from './participant-setting.ts'

const keyBody = { type: 'object', required: ['publicKey'], properties: { publicKey: { type: 'string', minLength: 100, maxLength: 8192 } } } as const

export async function jwsKeyRoutes(app: FastifyInstance, deps: AdminDeps): Promise<void> {
  app.put<{ Params: { name: string }; Body: { publicKey: string } }>('/participants/:name/jwsKey', { schema: { params: nameParam, body: keyBody } }, async (request) => {
    try {
      const key = createPublicKey(request.body.publicKey)
      if (key.asymmetricKeyType !== 'rsa') throw new Error('not an RSA key')
    } catch (error) {
      throw new FspiopError('3100', `publicKey is not an RSA public key in PEM: ${(error as Error).message}`)
    }
    const { name } = request.params
    await setParticipantSetting(deps, request, { name, table: 'participant_jws_key', column: 'public_key', value: request.body.publicKey, action: 'participant.jwsKey.set', detail: request.body })
    return { name, publicKey: request.body.publicKey }
  })

  app.get<{ Params: { name: string } }>('/participants/:name/jwsKey', { schema: { params: nameParam } }, async (request) => {
    const p = await requireParticipant(deps.db, request.params.name)
    const row = await deps.db('participant_jws_key').where({ participant_id: p.id }).first()
    if (!row) throw new FspiopError('3200', `${p.name} has no JWS key`)
    return { name: p.name, publicKey: row.public_key }
  })
}
