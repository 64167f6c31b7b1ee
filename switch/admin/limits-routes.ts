// Net debit caps, positions and callback endpoints of a participant:
// POST /participants/{name}/initialPositionAndLimits, GET/PUT /participants/{name}/limits,
// GET /participants/limits, GET /participants/{name}/positions, POST/GET /participants/{name}/endpoints.
import type { FastifyInstance } from 'fastify'
import { FspiopError } from '../fspiop/errors.ts'
import { endpointUrlProblem } from '../fspiop/endpoint-url.ts'
import { recordAudit } from '../../ledger/store/audit.ts'
import { accountsOf, findAccount } from '../../ledger/store/participants.ts'
import { endpointsOf, limitsOf, limitsOfAll, upsertEndpoint, upsertLimit } from '../../ledger/store/limits-endpoints.ts'
import { actorOf } from './operator.ts'
import { limitView, positionView } from './views.ts'
import { decimalInput } from './decimal-input.ts'
import { endpointBody, initialPositionAndLimitsBody, limitBody, nameParam } from './schemas.ts'
import { requireCurrency, requireParticipant } from './participants-routes.ts'
import type { AdminDeps } from './admin-deps.ts'

type Name = { name: string }
type Limit = { type: 'NET_DEBIT_CAP'; value: number | string; alarmPercentage?: number }
const ALARM_PERCENTAGE_DEFAULT = 10
/** central-ledger's answer to a second POST initialPositionAndLimits: 2001 (HTTP 500) with this text. */
const INITIAL_POSITION_EXISTS = 'Participant Limit or Initial Position already set'
/** central-ledger's endpoint types that hold an e-mail address (its endpointType table), not a URL. */
const isEmailEndpoint = (type: string) => type.endsWith('_EMAIL')

export async function limitsRoutes(app: FastifyInstance, deps: AdminDeps): Promise<void> {
  const { db } = deps

  app.post<{ Params: Name; Body: { currency: string; limit: Limit; initialPosition?: number | string } }>(
    '/participants/:name/initialPositionAndLimits',
    { schema: { params: nameParam, body: initialPositionAndLimitsBody } },
    async (request, reply) => {
      const { name } = request.params
      const { currency, limit } = request.body
      const value = decimalInput(limit.value, 'limit.value', { min: 0 })
      if (!decimalInput(request.body.initialPosition ?? 0, 'initialPosition').isZero()) {
        throw new FspiopError('3100', 'initialPosition must be 0: positions move only through transfers, funds go through recordFundsIn')
      }
      await db.transaction(async (trx) => {
        await requireCurrency(trx, currency)
        const p = await requireParticipant(trx, name)
        const account = await findAccount(trx, { participantId: p.id, currency, type: 'POSITION' })
        if (!account) throw new FspiopError('3000', `participant ${name} has no ${currency} account`)
        if ((await limitsOf(trx, p.id, { currency })).length > 0) throw new FspiopError('2001', INITIAL_POSITION_EXISTS)
        await upsertLimit(trx, { accountId: account.id, type: limit.type, value, alarmPercentage: limit.alarmPercentage ?? ALARM_PERCENTAGE_DEFAULT, changedBy: actorOf(request) })
        await recordAudit(trx, { actor: actorOf(request), action: 'participant.limits.initial', target: name, detail: request.body })
      })
      deps.participantChanges.changed(name)
      return reply.code(201).send()
    },
  )

  app.get<{ Params: Name; Querystring: { currency?: string; type?: string } }>('/participants/:name/limits', { schema: { params: nameParam } }, async (request) => {
    const p = await requireParticipant(db, request.params.name)
    const limits = await limitsOf(db, p.id, request.query)
    return limits.map(limitView)
  })

  app.get<{ Querystring: { currency?: string; type?: string } }>('/participants/limits', async (request) => {
    const limits = await limitsOfAll(db, request.query)
    return limits.map((l) => ({ name: l.name, ...limitView(l) }))
  })

  app.put<{ Params: Name; Body: { currency: string; limit: Limit } }>('/participants/:name/limits', { schema: { params: nameParam, body: limitBody } }, async (request) => {
    const { name } = request.params
    const { currency, limit } = request.body
    const value = decimalInput(limit.value, 'limit.value', { min: 0 })
    const alarmPercentage = await db.transaction(async (trx) => {
      await requireCurrency(trx, currency)
      const p = await requireParticipant(trx, name)
      const account = await findAccount(trx, { participantId: p.id, currency, type: 'POSITION' })
      if (!account) throw new FspiopError('3000', `participant ${name} has no ${currency} account`)
      const [existing] = await limitsOf(trx, p.id, { currency, type: limit.type })
      const alarm = limit.alarmPercentage ?? existing?.alarmPercentage ?? ALARM_PERCENTAGE_DEFAULT
      await upsertLimit(trx, { accountId: account.id, type: limit.type, value, alarmPercentage: alarm, changedBy: actorOf(request) })
      await recordAudit(trx, { actor: actorOf(request), action: 'participant.limits.update', target: name, detail: { ...request.body, previous: existing?.value ?? null } })
      return alarm
    })
    deps.participantChanges.changed(name)
    return limitView({ currency, type: limit.type, value, alarmPercentage })
  })

  app.get<{ Params: Name; Querystring: { currency?: string } }>('/participants/:name/positions', { schema: { params: nameParam } }, async (request) => {
    const p = await requireParticipant(db, request.params.name)
    const positions = (await accountsOf(db, [p.id])).filter((a) => a.type === 'POSITION').map(positionView)
    if (request.query.currency) {
      const one = positions.find((x) => x.currency === request.query.currency)
      if (!one) throw new FspiopError('3200', `participant ${p.name} has no ${request.query.currency} position`)
      return one
    }
    return positions
  })

  app.post<{ Params: Name; Body: { type: string; value: string } }>('/participants/:name/endpoints', { schema: { params: nameParam, body: endpointBody } }, async (request, reply) => {
    const { name } = request.params
    // Validated before the participant is looked up, as central-ledger validates the payload first.
    const unfit = isEmailEndpoint(request.body.type) ? undefined : endpointUrlProblem(request.body.value)
    if (unfit) throw new FspiopError('3100', unfit)
    await db.transaction(async (trx) => {
      const p = await requireParticipant(trx, name)
      await upsertEndpoint(trx, { participantId: p.id, type: request.body.type, value: request.body.value, changedBy: actorOf(request) })
      await recordAudit(trx, { actor: actorOf(request), action: 'participant.endpoint.set', target: name, detail: request.body })
    })
    deps.participantChanges.changed(name)
    return reply.code(201).send()
  })

  app.get<{ Params: Name }>('/participants/:name/endpoints', { schema: { params: nameParam } }, async (request) => {
    const p = await requireParticipant(db, request.params.name)
    return endpointsOf(db, p.id)
  })
}
