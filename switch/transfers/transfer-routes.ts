// FSPIOP /transfers: POST (prepare), PUT /{id} (fulfil), PUT /{id}/error (payee's error), GET /{id}.
// Checks what can be checked without the ledger (headers, schema, amount, expiry), answers 202/200 once
// Kafka has the message, and leaves every decision on money to the pipeline. Unknown or inactive
// participants and accounts are found here from the cache but refused by the pipeline, asynchronously,
// as Mojaloop does; a request from a source that is no participant has nobody to answer and is dropped.
import type { FastifyInstance } from 'fastify'
import { FspiopError } from '../fspiop/errors.ts'
import { parseFspiopGetHeaders, parseFspiopHeaders, type FspiopHeaders } from '../fspiop/headers.ts'
import type { ParticipantDirectory } from '../fspiop/directory.ts'
import type { BusProducer } from '../bus/message-bus.ts'
import { requestDeadline } from '../bus/publish-queue.ts'
import type { Db } from '../../ledger/store/db.ts'
import { checkAmount } from '../../ledger/domain/money.ts'
import { findTransfer } from '../../ledger/store/transfers.ts'
import { findFundsTransfer } from '../../ledger/store/funds-lookup.ts'
import { TOPICS, type FulfilMessage, type TransferPrepareBody, type FulfilBody } from '../pipeline/messages.ts'
import type { PayerAccounts } from '../store/payer-accounts.ts'
import { asOutbox, hubError, stateCallback } from './transfer-notifications.ts'
import { prepareParties } from '../fspiop/prepare-parties.ts'
import { dependentPrepare, type Conversions } from '../fx/dependent-prepare.ts'
import { fulfilMessage, prepareMessage, routedFulfil } from './transfer-messages.ts'
import { checkExpiration } from '../fspiop/expiration.ts'
import { checkCompletedTimestamp, type CompletedTimestampLimits } from '../fspiop/completed-timestamp.ts'
import { fundsTransferStateBody, transferStateBody } from './transfer-state-body.ts'
import type { Notification } from '../pipeline/messages.ts'
import type { ErrorInformation } from '../fspiop/errors.ts'

export interface TransferRouteDeps {
  hubName: string
  db: Db
  directory: ParticipantDirectory
  producer: BusProducer
  payerAccounts: PayerAccounts
  conversions: Conversions
  topic: (name: string) => string
  fulfilTimestamp: CompletedTimestampLimits
  /** config.limits.expirationHorizon_s */
  expirationHorizon_s: number
}

const RESOURCE = 'transfers'
type IdParams = { id: string }

export async function transferRoutes(app: FastifyInstance, deps: TransferRouteDeps): Promise<void> {
  app.post<{ Body: TransferPrepareBody }>('/transfers', async (request, reply) => {
    const headers = parseFspiopHeaders(request.headers, { resource: RESOURCE, kind: 'request' })
    const body = request.body
    if (headers.source !== body.payerFsp) throw new FspiopError('3100', `FSPIOP-Source ${headers.source} is not the payer ${body.payerFsp}`)
    if (headers.destination && headers.destination !== body.payeeFsp) throw new FspiopError('3100', `FSPIOP-Destination ${headers.destination} is not the payee ${body.payeeFsp}`)
    const amount = checkAmount(body.amount.amount, body.amount.currency)
    if (!amount.ok) throw new FspiopError('3100', amount.message)
    checkExpiration(body.expiration, { passedCode: '3303', horizon_s: deps.expirationHorizon_s })
    const payer = await deps.directory.get(body.payerFsp)
    if (!payer) {
      request.log.warn({ transferId: body.transferId, source: headers.source }, 'prepare from a source that is no participant: nobody to answer')
      return reply.code(202).send()
    }
    // A conversion's dependent transfer (as central-ledger's watch list finds it): looked for on every v2.0
    // prepare, and on one of any version whose payer holds no position in the currency (Mojaloop's SDK
    // sends transfers in 1.0 by default, also after an fxTransfer) - not on an ordinary transfer's path.
    const mayDepend = headers.version === '2.0' || !payer.accounts.get(`${body.amount.currency}:POSITION`)?.isActive
    const dependent = mayDepend ? await dependentPrepare(deps.conversions, deps.directory, payer, body) : undefined
    const parties = dependent?.parties ?? prepareParties(payer, body.payeeFsp, await deps.directory.get(body.payeeFsp), body.amount.currency)
    const publishBy = requestDeadline()
    const message = { ...prepareMessage(body, headers, request.headers, parties, publishBy), ...(dependent ? { conversion: dependent.conversion } : {}) }
    const key = dependent?.conversion.ownerAccountId ?? message.payerAccountId
    // 202 once Kafka has it; 2003 when it has not by publishBy (and then it never takes effect).
    await deps.producer.send([{ topic: deps.topic(TOPICS.prepare), key: String(key), value: JSON.stringify(message) }], { publishBy })
    return reply.code(202).send()
  })

  app.put<{ Params: IdParams; Body: FulfilBody }>('/transfers/:id', async (request, reply) => {
    const headers = parseFspiopHeaders(request.headers, { resource: RESOURCE, kind: 'callback' })
    const body = request.body
    if (body.transferState === 'RECEIVED') throw new FspiopError('3100', 'a payee answers RESERVED, COMMITTED or ABORTED')
    checkCompletedTimestamp(body.completedTimestamp, deps.fulfilTimestamp)
    await sendFulfil(deps, fulfilMessage(request.params.id, headers, request.headers, { kind: 'fulfil', body }))
    return reply.code(200).send()
  })

  app.put<{ Params: IdParams; Body: { errorInformation: ErrorInformation } }>('/transfers/:id/error', async (request, reply) => {
    const headers = parseFspiopHeaders(request.headers, { resource: RESOURCE, kind: 'callback' })
    const body = request.body
    await sendFulfil(deps, fulfilMessage(request.params.id, headers, request.headers, { kind: 'error', body }))
    return reply.code(200).send()
  })

  app.get<{ Params: IdParams }>('/transfers/:id', async (request, reply) => {
    const headers = parseFspiopGetHeaders(request.headers, RESOURCE)
    // central-ledger's getTransfer: an unknown or inactive source gets nothing.
    const source = await deps.directory.get(headers.source)
    if (!source?.isActive) return reply.code(202).send()
    const notification = await transferStateFor(deps, request.params.id, headers)
    const out = asOutbox(deps.topic, notification)
    await deps.producer.send([{ topic: out.topic, key: out.key, value: out.payload }], { publishBy: requestDeadline() })
    return reply.code(202).send()
  })
}

/**
 * What central-ledger's getTransfer answers: the state as PUT /transfers/{id} to a party of the transfer
 * (whatever the state), 3000 to anyone else, 3208 for an id it does not hold. Funds in and out are
 * transfers between the hub and a DFSP there, readable by either.
 */
async function transferStateFor(deps: TransferRouteDeps, id: string, headers: FspiopHeaders): Promise<Notification> {
  const to = headers.source
  const row = await findTransfer(deps.db, id)
  if (row) {
    if (row.payer_fsp !== to && row.payee_fsp !== to) return hubError(deps.hubName, to, id, headers.acceptVersion, '3000')
    return stateCallback(deps.hubName, to, id, headers.acceptVersion, transferStateBody(row), true)
  }
  const funds = await findFundsTransfer(deps.db, id)
  const source = await deps.directory.get(to)
  if (funds && (to === deps.hubName || funds.participantId === source?.id)) return stateCallback(deps.hubName, to, id, headers.acceptVersion, fundsTransferStateBody(funds), true)
  return hubError(deps.hubName, to, id, headers.acceptVersion, '3208', 'Provided Transfer ID was not found on the server.')
}

/**
 * A payee's fulfil, reject or error goes straight to the position topic, keyed by the payer's POSITION
 * account, so the consumer that owns the reservation decides; one for a transfer the ledger does not
 * hold gets 3208. (The prepare reached the payee only after its reservation was committed, so a real
 * fulfil always finds its transfer.) One from a source that is no participant has nobody to answer: dropped.
 */
async function sendFulfil(deps: TransferRouteDeps, message: FulfilMessage): Promise<void> {
  if (!(await deps.directory.get(message.source))) return
  const owner = await deps.payerAccounts.of(message.transferId)
  const out = routedFulfil(deps.hubName, deps.topic, message, owner?.accountId, owner?.commitRequestId)
  await deps.producer.send([{ topic: out.topic, key: out.key, value: out.payload }], { publishBy: requestDeadline() })
}

export type { FspiopHeaders }
