// The pipeline messages that the /transfers routes make of a DFSP's request: a prepare for the prepare
// topic, a fulfil or error for the position topic (or a 3208 for a transfer the ledger does not hold).
// Pure, so the routes and the deterministic simulation (switch/simulation) make them the same way.
import type { FspiopHeaders } from '../fspiop/headers.ts'
import { passedHeaders } from '../pipeline/forward.ts'
import { requestHash } from '../../ledger/domain/request-hash.ts'
import type { OutboxMessage } from '../store/outbox.ts'
import type { ErrorInformation } from '../fspiop/errors.ts'
import { TOPICS, type FulfilBody, type FulfilMessage, type PositionMessage, type PrepareMessage, type TransferPrepareBody } from '../pipeline/messages.ts'
import type { PrepareParties } from '../fspiop/prepare-parties.ts'
import { asOutbox, hubError } from './transfer-notifications.ts'

/** POST /transfers as the prepare topic carries it, keyed by the payer's POSITION account. */
export function prepareMessage(body: TransferPrepareBody, headers: FspiopHeaders, rawHeaders: Record<string, unknown>, parties: PrepareParties, publishBy: number): PrepareMessage {
  const { refusal, ...accounts } = parties
  return {
    kind: 'prepare', transferId: body.transferId, body, version: headers.version, acceptVersion: headers.acceptVersion, passHeaders: passedHeaders(rawHeaders),
    hash: requestHash(body), publishBy, ...accounts, ...(refusal ? { refusal } : {}),
  }
}

/** PUT /transfers/{id} (a fulfil, RESERVED or ABORTED answer) or PUT /transfers/{id}/error, as the API takes it. */
export function fulfilMessage(transferId: string, headers: FspiopHeaders, rawHeaders: Record<string, unknown>, answer: { kind: 'fulfil'; body: FulfilBody } | { kind: 'error'; body: { errorInformation: ErrorInformation } }): FulfilMessage {
  const common = { transferId, source: headers.source, version: headers.version, hash: requestHash(answer.body), passHeaders: passedHeaders(rawHeaders) }
  return answer.kind === 'fulfil' ? { kind: 'fulfil', ...common, body: answer.body } : { kind: 'error', ...common, body: answer.body }
}

/** Where a payee's answer goes: the position topic, keyed by the payer's POSITION account (a conversion's
 *  dependent transfer: the conversion's owner, named with the conversion), so the consumer that owns the
 *  reservation decides; for a transfer the ledger does not hold (`payerAccountId` undefined), 3208 to the sender. */
export function routedFulfil(hubName: string, topic: (name: string) => string, message: FulfilMessage, payerAccountId: number | undefined, commitRequestId?: string): OutboxMessage {
  return payerAccountId === undefined
    ? asOutbox(topic, hubError(hubName, message.source, message.transferId, message.version, '3208'))
    : { topic: topic(TOPICS.position), key: String(payerAccountId), payload: JSON.stringify({ ...message, payerAccountId, ...(commitRequestId ? { commitRequestId } : {}) } satisfies PositionMessage) }
}
