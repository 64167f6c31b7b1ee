// FSPIOP v2.0 /fxTransfers: POST (the initiating DFSP asks the FXP to convert), PUT /{id} and /{id}/error
// (the FXP's answer), GET /{id}. As for /transfers: what needs no ledger is checked here, answered 202/200
// once Kafka has the message, and every decision on money is the position handler's (fx-position.ts).
// The conversion's messages are keyed by the initiating DFSP's source-currency POSITION account.
import type { FastifyInstance } from 'fastify'
import { FspiopError, type ErrorInformation } from '../fspiop/errors.ts'
import { parseFspiopGetHeaders, parseFspiopHeaders, type FspiopHeaders } from '../fspiop/headers.ts'
import type { ParticipantDirectory } from '../fspiop/directory.ts'
import { prepareParties } from '../fspiop/prepare-parties.ts'
import { checkExpiration } from '../fspiop/expiration.ts'
import { checkCompletedTimestamp, type CompletedTimestampLimits } from '../fspiop/completed-timestamp.ts'
import type { BusProducer } from '../bus/message-bus.ts'
import { requestDeadline } from '../bus/publish-queue.ts'
import { passedHeaders, publish } from '../pipeline/forward.ts'
import { TOPICS, type Notification } from '../pipeline/messages.ts'
import type { PayerAccounts } from '../store/payer-accounts.ts'
import { fxTransfersById } from '../store/fx-transfers.ts'
import type { Db } from '../../ledger/store/db.ts'
import { findTransfer } from '../../ledger/store/transfers.ts'
import { checkAmount } from '../../ledger/domain/money.ts'
import { requestHash } from '../../ledger/domain/request-hash.ts'
import type { FxAnswerMessage, FxFulfilBody, FxPrepareMessage, FxTransferPrepareBody } from './fx-transfer-messages.ts'
import { fxStateBody, fxStateCallback, hubFxError } from './fx-transfer-notifications.ts'

export interface FxTransferRouteDeps {
  hubName: string
  db: Db
  directory: ParticipantDirectory
  producer: BusProducer
  payerAccounts: PayerAccounts
  topic: (name: string) => string
  expirationHorizon_s: number
  fulfilTimestamp: CompletedTimestampLimits
}

const RESOURCE = 'fxTransfers'
type IdParams = { id: string }

export async function fxTransferRoutes(app: FastifyInstance, deps: FxTransferRouteDeps): Promise<void> {
  app.post<{ Body: FxTransferPrepareBody }>('/fxTransfers', async (request, reply) => {
    const headers = parseFspiopHeaders(request.headers, { resource: RESOURCE, kind: 'request' })
    const body = request.body
    if (headers.source !== body.initiatingFsp) throw new FspiopError('3100', `FSPIOP-Source ${headers.source} is not the initiating FSP ${body.initiatingFsp}`)
    if (headers.destination && headers.destination !== body.counterPartyFsp) throw new FspiopError('3100', `FSPIOP-Destination ${headers.destination} is not the FXP ${body.counterPartyFsp}`)
    for (const money of [body.sourceAmount, body.targetAmount]) {
      const amount = checkAmount(money.amount, money.currency)
      if (!amount.ok) throw new FspiopError('3100', amount.message)
    }
    if (body.expiration) checkExpiration(body.expiration, { passedCode: '3303', horizon_s: deps.expirationHorizon_s })
    const initiating = await deps.directory.get(body.initiatingFsp)
    if (!initiating) {
      request.log.warn({ commitRequestId: body.commitRequestId, source: headers.source }, 'fxTransfer from a source that is no participant: nobody to answer')
      return reply.code(202).send()
    }
    // central-ledger validates the FXP against both currencies and the initiating DFSP against the source one.
    const fxp = await deps.directory.get(body.counterPartyFsp)
    const parties = prepareParties(initiating, body.counterPartyFsp, fxp, body.sourceAmount.currency)
    const target = fxp?.accounts.get(`${body.targetAmount.currency}:POSITION`)
    const refusal = parties.refusal ?? (target?.isActive ? undefined : `Participant ${body.counterPartyFsp} ${body.targetAmount.currency} account not found or inactive`)
    const publishBy = requestDeadline()
    const message: FxPrepareMessage = {
      kind: 'fx-prepare', commitRequestId: body.commitRequestId, body, version: headers.version, acceptVersion: headers.acceptVersion, passHeaders: passedHeaders(request.headers),
      hash: requestHash(body), publishBy, payerAccountId: parties.payerAccountId, payeeAccountId: parties.payeeAccountId, payerSettlementAccountId: parties.payerSettlementAccountId,
      ...(refusal ? { refusal } : {}),
    }
    await deps.producer.send([{ topic: deps.topic(TOPICS.prepare), key: String(message.payerAccountId), value: JSON.stringify(message) }], { publishBy })
    return reply.code(202).send()
  })

  app.put<{ Params: IdParams; Body: FxFulfilBody }>('/fxTransfers/:id', async (request, reply) => {
    const headers = parseFspiopHeaders(request.headers, { resource: RESOURCE, kind: 'callback' })
    checkCompletedTimestamp(request.body.completedTimestamp, deps.fulfilTimestamp)
    await sendAnswer(deps, headers, request.params.id, request.headers, { kind: 'fx-fulfil', body: request.body })
    return reply.code(200).send()
  })

  app.put<{ Params: IdParams; Body: { errorInformation: ErrorInformation } }>('/fxTransfers/:id/error', async (request, reply) => {
    const headers = parseFspiopHeaders(request.headers, { resource: RESOURCE, kind: 'callback' })
    await sendAnswer(deps, headers, request.params.id, request.headers, { kind: 'fx-error', body: request.body })
    return reply.code(200).send()
  })

  app.get<{ Params: IdParams }>('/fxTransfers/:id', async (request, reply) => {
    const headers = parseFspiopGetHeaders(request.headers, RESOURCE)
    const source = await deps.directory.get(headers.source)
    if (!source?.isActive) return reply.code(202).send()
    await publish(deps, [await conversionStateFor(deps, request.params.id, headers)])
    return reply.code(202).send()
  })
}

type Answer = { kind: 'fx-fulfil'; body: FxFulfilBody } | { kind: 'fx-error'; body: { errorInformation: ErrorInformation } }

/** The FXP's answer goes to the position topic, keyed by the conversion's owner; one for a conversion the
 *  ledger does not hold gets 3208; one from a source that is no participant is dropped. */
async function sendAnswer(deps: FxTransferRouteDeps, headers: FspiopHeaders, commitRequestId: string, rawHeaders: Record<string, unknown>, answer: Answer): Promise<void> {
  if (!(await deps.directory.get(headers.source))) return
  const owner = await deps.payerAccounts.of(commitRequestId)
  if (!owner) return publish(deps, [hubFxError(deps.hubName, headers.source, commitRequestId, headers.version, '3208', 'Provided Commit Request ID was not found on the server.')])
  const common = { commitRequestId, source: headers.source, version: headers.version, hash: requestHash(answer.body), passHeaders: passedHeaders(rawHeaders), payerAccountId: owner.accountId }
  const message: FxAnswerMessage = answer.kind === 'fx-fulfil' ? { ...common, kind: 'fx-fulfil', body: answer.body } : { ...common, kind: 'fx-error', body: answer.body }
  await deps.producer.send([{ topic: deps.topic(TOPICS.position), key: String(owner.accountId), value: JSON.stringify(message) }], { publishBy: requestDeadline() })
}

/** GET /fxTransfers/{id}: the state to the initiating DFSP or the FXP, 3000 to anyone else, 3208 for an id the switch does not hold. */
async function conversionStateFor(deps: FxTransferRouteDeps, id: string, headers: FspiopHeaders): Promise<Notification> {
  const to = headers.source
  const fx = (await fxTransfersById(deps.db, [id])).get(id)
  const row = fx ? await findTransfer(deps.db, id) : undefined
  if (!fx || !row) return hubFxError(deps.hubName, to, id, headers.acceptVersion, '3208', 'Provided Commit Request ID was not found on the server.')
  if (fx.initiating_fsp !== to && fx.counter_party_fsp !== to) return hubFxError(deps.hubName, to, id, headers.acceptVersion, '3000')
  return fxStateCallback(deps.hubName, to, id, headers.acceptVersion, fxStateBody(row), true)
}
