// FSPIOP /bulkTransfers: POST (bulk prepare), PUT /{id} (the payee's per-item answer), PUT /{id}/error,
// GET /{id}. Same headers, signature, API-definition and duplicate rules as /transfers (the same hooks and
// helpers); the money decisions are the position handler's (bulk-position.ts), keyed by the payer's
// POSITION account like single transfers.
import type { FastifyInstance } from 'fastify'
import { FspiopError, type ErrorInformation } from '../fspiop/errors.ts'
import { parseFspiopGetHeaders, parseFspiopHeaders, type FspiopHeaders } from '../fspiop/headers.ts'
import { passedHeaders } from '../pipeline/forward.ts'
import { requestDeadline } from '../bus/publish-queue.ts'
import { checkExpiration } from '../fspiop/expiration.ts'
import { requestHash } from '../../ledger/domain/request-hash.ts'
import { findBulkTransfer } from '../store/bulk.ts'
import { TOPICS } from '../pipeline/messages.ts'
import { asOutbox } from './transfer-notifications.ts'
import { prepareParties } from '../fspiop/prepare-parties.ts'
import type { TransferRouteDeps } from './transfer-routes.ts'
import { bulkPrepareMessage, checkBulkPrepare } from './bulk-prepare.ts'
import { bulkHubError, bulkStateCallback, type BulkAnswerMessage, type BulkTransferAnswerBody, type BulkTransferPrepareBody } from './bulk-messages.ts'

const RESOURCE = 'bulkTransfers'
type IdParams = { id: string }
type BulkRouteDeps = Omit<TransferRouteDeps, 'payerAccounts' | 'fulfilTimestamp' | 'conversions'> & { batchBodyLimit_bytes: number }

export async function bulkTransferRoutes(app: FastifyInstance, deps: BulkRouteDeps): Promise<void> {
  const publish = (topic: string, key: string, value: string) => deps.producer.send([{ topic, key, value }], { publishBy: requestDeadline() })

  app.post<{ Body: BulkTransferPrepareBody }>('/bulkTransfers', { bodyLimit: deps.batchBodyLimit_bytes }, async (request, reply) => {
    const headers = parseFspiopHeaders(request.headers, { resource: RESOURCE, kind: 'request' })
    const body = request.body
    if (headers.source !== body.payerFsp) throw new FspiopError('3100', `FSPIOP-Source ${headers.source} is not the payer ${body.payerFsp}`)
    if (headers.destination && headers.destination !== body.payeeFsp) throw new FspiopError('3100', `FSPIOP-Destination ${headers.destination} is not the payee ${body.payeeFsp}`)
    const currency = checkBulkPrepare(body)
    checkExpiration(body.expiration, { passedCode: '3303', horizon_s: deps.expirationHorizon_s })
    const payer = await deps.directory.get(body.payerFsp)
    if (!payer) {
      request.log.warn({ bulkTransferId: body.bulkTransferId, source: headers.source }, 'bulk prepare from a source that is no participant: nobody to answer')
      return reply.code(202).send()
    }
    const parties = prepareParties(payer, body.payeeFsp, await deps.directory.get(body.payeeFsp), currency)
    const publishBy = requestDeadline()
    const message = bulkPrepareMessage({ body, version: headers.version, acceptVersion: headers.acceptVersion, passHeaders: passedHeaders(request.headers), parties, origin: 'fspiop', publishBy })
    await deps.producer.send([{ topic: deps.topic(TOPICS.prepare), key: String(message.payerAccountId), value: JSON.stringify(message) }], { publishBy })
    return reply.code(202).send()
  })

  const answer = async (id: string, headers: FspiopHeaders, m: Pick<BulkAnswerMessage, 'kind' | 'body'>): Promise<void> => {
    if (!(await deps.directory.get(headers.source))) return
    const bulk = await findBulkTransfer(deps.db, id)
    if (!bulk) {
      const out = asOutbox(deps.topic, bulkHubError(deps.hubName, headers.source, id, headers.version, '3210'))
      await publish(out.topic, out.key, out.payload)
      return
    }
    const message = { ...m, bulkTransferId: id, source: headers.source, version: headers.version, hash: requestHash(m.body), payerAccountId: bulk.payer_account_id } as BulkAnswerMessage
    await publish(deps.topic(TOPICS.position), String(bulk.payer_account_id), JSON.stringify(message))
  }

  app.put<{ Params: IdParams; Body: BulkTransferAnswerBody }>('/bulkTransfers/:id', { bodyLimit: deps.batchBodyLimit_bytes }, async (request, reply) => {
    const headers = parseFspiopHeaders(request.headers, { resource: RESOURCE, kind: 'callback' })
    await answer(request.params.id, headers, { kind: 'bulk-fulfil', body: request.body })
    return reply.code(200).send()
  })

  app.put<{ Params: IdParams; Body: { errorInformation: ErrorInformation } }>('/bulkTransfers/:id/error', async (request, reply) => {
    const headers = parseFspiopHeaders(request.headers, { resource: RESOURCE, kind: 'callback' })
    await answer(request.params.id, headers, { kind: 'bulk-error', body: request.body })
    return reply.code(200).send()
  })

  app.get<{ Params: IdParams }>('/bulkTransfers/:id', async (request, reply) => {
    const headers = parseFspiopGetHeaders(request.headers, RESOURCE)
    const source = await deps.directory.get(headers.source)
    if (!source?.isActive) return reply.code(202).send()
    const id = request.params.id
    const bulk = await findBulkTransfer(deps.db, id)
    const to = headers.source
    const version = headers.acceptVersion
    const notification = !bulk
      ? bulkHubError(deps.hubName, to, id, version, '3210', 'Provided Bulk Transfer ID was not found on the server.')
      : bulk.payer_fsp !== to && bulk.payee_fsp !== to
        ? bulkHubError(deps.hubName, to, id, version, '3000')
        : bulkStateCallback(deps.hubName, to, id, version, bulk.result ? JSON.parse(bulk.result) as BulkTransferAnswerBody : { bulkTransferState: 'PROCESSING' }, true)
    const out = asOutbox(deps.topic, notification)
    await publish(out.topic, out.key, out.payload)
    return reply.code(202).send()
  })
}
