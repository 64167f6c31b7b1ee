// With AGORA_VALIDATE_INBOUND_JWS on (the Mojaloop SDK's VALIDATE_INBOUND_JWS): every DFSP request or
// callback with a body must carry a valid FSPIOP-Signature made with the key registered for its
// FSPIOP-Source (so the signer is the participant the request claims to come from), bound to this
// request's method, path and a recent Date, or it is refused with 3105 before anything reaches the
// pipeline. Signing the hub's own callbacks is a separate setting.
import type { FastifyInstance } from 'fastify'
import { FspiopError } from './errors.ts'
import { PROBE_PATHS } from '../observability/probe-paths.ts'
import { verifyJws } from './jws.ts'
import type { ParticipantDirectory } from './directory.ts'

export function requireSignatures(app: FastifyInstance, deps: { directory: ParticipantDirectory; dateWindow_s: number }): void {
  app.addHook('preHandler', async (request) => {
    if (request.rawBody === undefined || PROBE_PATHS.includes(request.url)) return
    const source = request.headers['fspiop-source']
    const participant = typeof source === 'string' ? await deps.directory.get(source) : undefined
    const check = verifyJws({ method: request.method, url: request.url, headers: request.headers, rawBody: request.rawBody }, participant?.publicKey, { dateWindow_s: deps.dateWindow_s })
    if (!check.ok) throw new FspiopError('3105', check.reason)
  })
}
