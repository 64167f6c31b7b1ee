// The FSPIOP /transfers API as the simulation's DFSPs reach it: the checks the routes make before Kafka
// (headers, amount, expiration, completedTimestamp) and the messages they publish, made by the routes' own
// builders (transfers/transfer-messages.ts). A request the routes would refuse synchronously is refused
// here too (the DFSP got a 4xx: no 202, nothing published).
import { parseFspiopHeaders, acceptFor, contentTypeFor, type FspiopVersion } from '../fspiop/headers.ts'
import { checkAmount } from '../../ledger/domain/money.ts'
import { checkExpiration } from '../fspiop/expiration.ts'
import { checkCompletedTimestamp } from '../fspiop/completed-timestamp.ts'
import { prepareParties } from '../fspiop/prepare-parties.ts'
import { fulfilMessage, prepareMessage, routedFulfil } from '../transfers/transfer-messages.ts'
import { requestDeadline } from '../bus/publish-queue.ts'
import type { DirectoryParticipant } from '../fspiop/directory.ts'
import { FspiopError } from '../fspiop/errors.ts'
import { TOPICS, type PrepareMessage, type TransferPrepareBody } from '../pipeline/messages.ts'
import { LIMIT_DEFAULTS } from '../config/config.ts'
import type { SimClock } from './sim-clock.ts'
import type { AnswerRequest } from './dfsps.ts'

const RESOURCE = 'transfers'
/** The routes' limits (config.ts defaults). */
export const EXPIRATION_HORIZON_S = LIMIT_DEFAULTS.expirationHorizon_s
export const FULFIL_TIMESTAMP_LIMITS = { ahead_ms_max: 200, behind_s_max: 300 }

export interface OutMessage {
  topic: string
  key: string
  value: string
}

export interface SimApiDeps {
  hubName: string
  topic: (name: string) => string
  clock: SimClock
  directory: ReadonlyMap<string, DirectoryParticipant>
  /** The bus's producer: resolves once the bus has the messages (the DFSP is then answered 202/200). */
  publish(messages: readonly OutMessage[]): Promise<void>
  /** The payer's POSITION account of a transfer the ledger holds (store/payer-accounts.ts). */
  payerAccountOf(transferId: string): Promise<number | undefined>
}

export type ApiAnswer = { status: 202 | 200; message?: PrepareMessage } | { status: 400; code: string }

export interface SimApi {
  /** POST /transfers from the payer. */
  prepare(body: TransferPrepareBody, version: FspiopVersion, acceptVersion: FspiopVersion): Promise<ApiAnswer>
  /** PUT /transfers/{id} or PUT /transfers/{id}/error from the payee. */
  answer(from: string, transferId: string, version: FspiopVersion, request: AnswerRequest): Promise<ApiAnswer>
}

export function createSimApi(deps: SimApiDeps): SimApi {
  const rawHeaders = (source: string, destination: string, version: FspiopVersion, accept?: FspiopVersion): Record<string, string> => ({
    'content-type': contentTypeFor(RESOURCE, version), ...(accept ? { accept: acceptFor(RESOURCE, accept) } : {}),
    date: deps.clock.now().toUTCString(), 'fspiop-source': source, 'fspiop-destination': destination,
  })
  const refused = (error: unknown): ApiAnswer => {
    if (error instanceof FspiopError) return { status: 400, code: error.code }
    throw error
  }
  return {
    async prepare(body, version, acceptVersion) {
      try {
        const raw = rawHeaders(body.payerFsp, body.payeeFsp, version, acceptVersion)
        const headers = parseFspiopHeaders(raw, { resource: RESOURCE, kind: 'request' })
        const amount = checkAmount(body.amount.amount, body.amount.currency)
        if (!amount.ok) throw new FspiopError('3100', amount.message)
        checkExpiration(body.expiration, { passedCode: '3303', horizon_s: EXPIRATION_HORIZON_S }, deps.clock.now_ms())
        const payer = deps.directory.get(body.payerFsp)
        if (!payer) return { status: 202 }
        const parties = prepareParties(payer, body.payeeFsp, deps.directory.get(body.payeeFsp), body.amount.currency)
        const message = prepareMessage(body, headers, raw, parties, requestDeadline(deps.clock.now_ms()))
        await deps.publish([{ topic: deps.topic(TOPICS.prepare), key: String(message.payerAccountId), value: JSON.stringify(message) }])
        return { status: 202, message }
      } catch (error) {
        return refused(error)
      }
    },
    async answer(from, transferId, version, request) {
      try {
        const raw = rawHeaders(from, deps.hubName, version)
        const headers = parseFspiopHeaders(raw, { resource: RESOURCE, kind: 'callback' })
        if (request.kind === 'fulfil') checkCompletedTimestamp(request.body.completedTimestamp, FULFIL_TIMESTAMP_LIMITS, deps.clock.now_ms())
        if (!deps.directory.get(from)) return { status: 200 }
        const out = routedFulfil(deps.hubName, deps.topic, fulfilMessage(transferId, headers, raw, request), await deps.payerAccountOf(transferId))
        await deps.publish([{ topic: out.topic, key: out.key, value: out.payload }])
        return { status: 200 }
      } catch (error) {
        return refused(error)
      }
    },
  }
}
