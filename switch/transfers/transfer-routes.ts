// FSPIOP /transfers: POST (prepare), PUT /{id} (fulfil), PUT /{id}/error (payee's error), GET /{id}.
// Checks what can be checked without the ledger (headers, schema, amount, expiry, participants from the
// cache), answers 202/200 once Kafka has the message, and leaves every decision on money to the pipeline.
import type { FastifyInstance } from 'fastify'
import { FspiopError } from '../fspiop/errors.ts'
import { parseFspiopGetHeaders, parseFspiopHeaders, type FspiopHeaders } from '../fspiop/headers.ts'
import type { ParticipantDirectory, DirectoryParticipant } from '../fspiop/directory.ts'
import type { BatchingProducer } from '../kafka/batching-producer.ts'
import type { Db } from '../../ledger/store/db.ts'
import { checkAmount } from '../../ledger/domain/money.ts'
import { requestHash } from '../../ledger/domain/request-hash.ts'
import { isFinal } from '../../ledger/domain/transfer-state.ts'
import { findTransfer } from '../../ledger/store/transfers.ts'
import { TOPICS, type FulfilMessage, type PositionMessage, type PrepareMessage, type TransferPrepareBody, type FulfilBody } from '../pipeline/messages.ts'
import type { PayerAccounts } from './payer-accounts.ts'
import { asOutbox, errorCallback, hubError, stateCallback } from './transfer-notifications.ts'
import { errorBody, fulfilBody, prepareBody, transferIdParams } from './transfer-schemas.ts'
import type { ErrorInformation } from '../fspiop/errors.ts'
import { passThroughHeaders } from '../fspiop/forward.ts'

export interface TransferRouteDeps {
  hubName: string
  db: Db
  directory: ParticipantDirectory
  producer: BatchingProducer
  payerAccounts: PayerAccounts
  topic: (name: string) => string
}

const RESOURCE = 'transfers'
type IdParams = { id: string }

export async function transferRoutes(app: FastifyInstance, deps: TransferRouteDeps): Promise<void> {
  app.post<{ Body: TransferPrepareBody }>('/transfers', { schema: { body: prepareBody } }, async (request, reply) => {
    const headers = parseFspiopHeaders(request.headers, { resource: RESOURCE, kind: 'request' })
    const body = request.body
    if (headers.source !== body.payerFsp) throw new FspiopError('3100', `FSPIOP-Source ${headers.source} is not the payer ${body.payerFsp}`)
    if (headers.destination && headers.destination !== body.payeeFsp) throw new FspiopError('3100', `FSPIOP-Destination ${headers.destination} is not the payee ${body.payeeFsp}`)
    const amount = checkAmount(body.amount.amount, body.amount.currency)
    if (!amount.ok) throw new FspiopError('3100', amount.message)
    if (Date.parse(body.expiration) <= Date.now()) throw new FspiopError('3303', `expiration ${body.expiration} has passed`)
    if (body.payerFsp === body.payeeFsp) throw new FspiopError('3100', 'payer and payee are the same participant')
    const currency = body.amount.currency
    const payer = await activeParticipant(deps.directory, body.payerFsp, '3202')
    const payee = await activeParticipant(deps.directory, body.payeeFsp, '3203')
    const payerPosition = activeAccount(payer, currency, 'POSITION', '3202')
    const payerSettlement = activeAccount(payer, currency, 'SETTLEMENT', '3202')
    const payeePosition = activeAccount(payee, currency, 'POSITION', '3203')
    const message: PrepareMessage = {
      kind: 'prepare', transferId: body.transferId, body, version: headers.version, hash: requestHash(body),
      payerAccountId: payerPosition, payeeAccountId: payeePosition, payerSettlementAccountId: payerSettlement,
      passHeaders: passThroughHeaders(request.headers),
    }
    await deps.producer.send([{ topic: deps.topic(TOPICS.prepare), key: String(payerPosition), value: JSON.stringify(message) }])
    return reply.code(202).send()
  })

  app.put<{ Params: IdParams; Body: FulfilBody }>('/transfers/:id', { schema: { params: transferIdParams, body: fulfilBody } }, async (request, reply) => {
    const headers = parseFspiopHeaders(request.headers, { resource: RESOURCE, kind: 'callback' })
    const body = request.body
    if ((body.transferState === 'COMMITTED' || body.transferState === 'RESERVED') && !body.fulfilment) {
      throw new FspiopError('3102', `a ${body.transferState} fulfil must carry the fulfilment`)
    }
    if (body.transferState === 'RECEIVED') throw new FspiopError('3100', 'a payee answers RESERVED, COMMITTED or ABORTED')
    await sendFulfil(deps, { kind: 'fulfil', transferId: request.params.id, source: headers.source, version: headers.version, hash: requestHash(body), body, passHeaders: passThroughHeaders(request.headers) })
    return reply.code(200).send()
  })

  app.put<{ Params: IdParams; Body: { errorInformation: ErrorInformation } }>('/transfers/:id/error', { schema: { params: transferIdParams, body: errorBody } }, async (request, reply) => {
    const headers = parseFspiopHeaders(request.headers, { resource: RESOURCE, kind: 'callback' })
    const body = request.body
    await sendFulfil(deps, { kind: 'error', transferId: request.params.id, source: headers.source, version: headers.version, hash: requestHash(body), body, passHeaders: passThroughHeaders(request.headers) })
    return reply.code(200).send()
  })

  app.get<{ Params: IdParams }>('/transfers/:id', { schema: { params: transferIdParams } }, async (request, reply) => {
    const headers = parseFspiopGetHeaders(request.headers, RESOURCE)
    await activeParticipant(deps.directory, headers.source, '3202')
    const row = await findTransfer(deps.db, request.params.id)
    const id = request.params.id
    const known = row && (row.payer_fsp === headers.source || row.payee_fsp === headers.source)
    const notification = !known
      ? hubError(deps.hubName, headers.source, id, headers.version, '3208')
      : row.state === 'COMMITTED' || !isFinal(row.state)
        ? stateCallback(deps.hubName, headers.source, id, headers.version, {
            transferState: row.state, ...(row.fulfilment ? { fulfilment: row.fulfilment } : {}), ...(row.completed_at ? { completedTimestamp: row.completed_at.toISOString() } : {}),
          }, true)
        : errorCallback(deps.hubName, headers.source, id, headers.version, { errorCode: row.error_code ?? '3100', errorDescription: row.error_description ?? row.state }, true)
    const out = asOutbox(deps.topic, notification)
    await deps.producer.send([{ topic: out.topic, key: out.key, value: out.payload }])
    return reply.code(202).send()
  })
}

/**
 * A payee's fulfil, reject or error goes straight to the position topic, keyed by the payer's POSITION
 * account, so the consumer that owns the reservation decides; one for a transfer the ledger does not
 * hold gets 3208. (The prepare reached the payee only after its reservation was committed, so a real
 * fulfil always finds its transfer.)
 */
async function sendFulfil(deps: TransferRouteDeps, message: FulfilMessage): Promise<void> {
  await activeParticipant(deps.directory, message.source, '3203')
  const payerAccountId = await deps.payerAccounts.of(message.transferId)
  const out = payerAccountId === undefined
    ? asOutbox(deps.topic, hubError(deps.hubName, message.source, message.transferId, message.version, '3208'))
    : { topic: deps.topic(TOPICS.position), key: String(payerAccountId), payload: JSON.stringify({ ...message, payerAccountId } satisfies PositionMessage) }
  await deps.producer.send([{ topic: out.topic, key: out.key, value: out.payload }])
}

async function activeParticipant(directory: ParticipantDirectory, name: string, code: '3202' | '3203'): Promise<DirectoryParticipant> {
  const p = await directory.get(name)
  if (!p) throw new FspiopError(code, `${name} is not a participant of this scheme`)
  if (!p.isActive) throw new FspiopError(code, `${name} is not active`)
  return p
}

function activeAccount(p: DirectoryParticipant, currency: string, type: string, code: '3202' | '3203'): number {
  const account = p.accounts.get(`${currency}:${type}`)
  if (!account) throw new FspiopError(code, `${p.name} does not hold ${currency}`)
  if (!account.isActive) throw new FspiopError(code, `${p.name}'s ${currency} ${type} account is inactive`)
  return account.id
}

export type { FspiopHeaders }
