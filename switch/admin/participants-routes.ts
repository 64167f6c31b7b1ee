// Participants and hub accounts: POST/GET /participants, GET/PUT /participants/{name},
// POST /participants/{hub}/accounts.
import type { FastifyInstance } from 'fastify'
import type { Knex } from 'knex'
import { FspiopError } from '../fspiop/errors.ts'
import { recordAudit } from '../../ledger/store/audit.ts'
import {
  accountsOf, claimParticipant, findAccount, findParticipant, HUB_ACCOUNT_TYPES, insertAccount, isDuplicateKey, isKnownCurrency,
  listParticipants, setParticipantActive, type AccountType, type ParticipantRow,
} from '../../ledger/store/participants.ts'
import { accountTypesForCurrency } from '../../ledger/store/settlement-models.ts'
import { actorOf } from './operator.ts'
import { participantView } from './views.ts'
import { createParticipantBody, hubAccountBody, nameParam, updateParticipantBody } from './schemas.ts'
import type { AdminDeps } from './admin-deps.ts'

type Name = { name: string }

export async function participantsRoutes(app: FastifyInstance, deps: AdminDeps): Promise<void> {
  const { db } = deps

  app.post<{ Body: { name: string; currency: string } }>('/participants', { schema: { body: createParticipantBody } }, async (request, reply) => {
    const { name, currency } = request.body
    const actor = actorOf(request)
    if (name.toLowerCase() === deps.config.hubName.toLowerCase()) throw new FspiopError('3000', `${name} is the hub's name`)
    const participant = await db.transaction(async (trx) => {
      await requireCurrency(trx, currency)
      const { participant: p } = await claimParticipant(trx, { name, isHub: false, createdBy: actor })
      if (p.isHub) throw new FspiopError('3000', `${name} is the hub`)
      const taken = new FspiopError('3000', `participant ${name} already has currency ${currency}`)
      if (await findAccount(trx, { participantId: p.id, currency, type: 'POSITION' })) throw taken
      for (const type of await accountTypesForCurrency(trx, currency)) await insertAccountOr(trx, { participantId: p.id, currency, type }, taken)
      await recordAudit(trx, { actor, action: 'participant.create', target: name, detail: request.body })
      return p
    })
    deps.participantChanges.changed(name)
    return reply.code(201).send(participantView(request, participant, await accountsOf(db, [participant.id])))
  })

  app.get('/participants', async (request) => {
    const participants = await listParticipants(db)
    const accounts = await accountsOf(db, participants.map((p) => p.id))
    return participants.map((p) => participantView(request, p, accounts.filter((a) => a.participantId === p.id)))
  })

  app.get<{ Params: Name }>('/participants/:name', { schema: { params: nameParam } }, async (request) => {
    const p = await requireParticipant(db, request.params.name)
    return participantView(request, p, await accountsOf(db, [p.id]))
  })

  app.put<{ Params: Name; Body: { isActive: boolean } }>('/participants/:name', { schema: { params: nameParam, body: updateParticipantBody } }, async (request) => {
    const { name } = request.params
    const p = await db.transaction(async (trx) => {
      const found = await requireParticipant(trx, name)
      await setParticipantActive(trx, found.id, request.body.isActive)
      await recordAudit(trx, { actor: actorOf(request), action: 'participant.update', target: name, detail: request.body })
      return { ...found, isActive: request.body.isActive }
    })
    deps.participantChanges.changed(name)
    return participantView(request, p, await accountsOf(db, [p.id]))
  })

  // Mojaloop creates hub accounts with POST /participants/Hub/accounts; only the hub has that route.
  app.post<{ Params: Name; Body: { type: AccountType; currency: string } }>('/participants/:name/accounts', { schema: { params: nameParam, body: hubAccountBody } }, async (request, reply) => {
    const { name } = request.params
    const { type, currency } = request.body
    if (name.toLowerCase() !== deps.config.hubName.toLowerCase()) throw new FspiopError('3000', `only the hub (${deps.config.hubName}) has accounts created this way`)
    if (!HUB_ACCOUNT_TYPES.includes(type)) throw new FspiopError('3100', `a hub account is one of ${HUB_ACCOUNT_TYPES.join(', ')}`)
    const hub = await db.transaction(async (trx) => {
      await requireCurrency(trx, currency)
      const { participant: found } = await claimParticipant(trx, { name: deps.config.hubName, isHub: true, createdBy: actorOf(request) })
      const taken = new FspiopError('3000', `the hub already has a ${type} account in ${currency}`)
      if (await findAccount(trx, { participantId: found.id, currency, type })) throw taken
      await insertAccountOr(trx, { participantId: found.id, currency, type }, taken)
      // Funds out in flight sit on a clearing account beside the reconciliation account (ledger/store/funds.ts).
      if (type === 'HUB_RECONCILIATION' && !(await findAccount(trx, { participantId: found.id, currency, type: 'HUB_FUNDS_OUT_CLEARING' }))) {
        await insertAccountOr(trx, { participantId: found.id, currency, type: 'HUB_FUNDS_OUT_CLEARING' }, taken)
      }
      await recordAudit(trx, { actor: actorOf(request), action: 'hub.account.create', target: found.name, detail: request.body })
      return found
    })
    deps.participantChanges.changed(hub.name)
    return reply.code(201).send(participantView(request, hub, await accountsOf(db, [hub.id])))
  })
}

/** A concurrent request may have created the account after this transaction's snapshot: same answer. */
async function insertAccountOr(trx: Knex.Transaction, account: { participantId: number; currency: string; type: AccountType }, taken: FspiopError): Promise<void> {
  try {
    await insertAccount(trx, account)
  } catch (error) {
    throw isDuplicateKey(error) ? taken : error
  }
}

export async function requireParticipant(q: Knex | Knex.Transaction, name: string): Promise<ParticipantRow> {
  const p = await findParticipant(q, name)
  if (!p) throw new FspiopError('3200', `participant ${name} does not exist`)
  return p
}

export async function requireCurrency(q: Knex | Knex.Transaction, currency: string): Promise<void> {
  if (!(await isKnownCurrency(q, currency))) throw new FspiopError('3100', `currency ${currency} is not an ISO 4217 code`)
}
