// The pipeline's topics and the messages on them.
import type { FspiopVersion } from '../fspiop/headers.ts'
import type { Callback } from '../fspiop/callbacks.ts'
import type { ErrorInformation, ExtensionList } from '../fspiop/errors.ts'

export const TOPICS = {
  /** Prepares from the API, keyed by the payer's POSITION account id. */
  prepare: 'transfer.prepare',
  /** Fulfils, rejects and errors from payees (the API) and expiries (the timeout scanner), keyed by the payer's POSITION account id. */
  position: 'transfer.position',
  /** Callbacks to deliver, keyed by the recipient DFSP. */
  notification: 'notification',
  /** Quote requests and answers, keyed by quote id. */
  quote: 'quote',
} as const

export const ALL_TOPICS = Object.values(TOPICS)

export interface TransferPrepareBody {
  transferId: string
  payeeFsp: string
  payerFsp: string
  amount: { amount: string; currency: string }
  ilpPacket: string
  condition: string
  expiration: string
  extensionList?: ExtensionList
}

export interface PrepareMessage {
  kind: 'prepare'
  transferId: string
  body: TransferPrepareBody
  version: FspiopVersion
  hash: string
  payerAccountId: number
  payeeAccountId: number
  payerSettlementAccountId: number
  /** The payer's FSPIOP-Signature and the headers it covers, forwarded to the payee with the body. */
  passHeaders?: Record<string, string>
}

export interface FulfilBody {
  fulfilment?: string
  completedTimestamp?: string
  transferState: 'RECEIVED' | 'RESERVED' | 'COMMITTED' | 'ABORTED'
  extensionList?: ExtensionList
}

/** A payee's answer, as the API takes it (passHeaders: its FSPIOP-Signature and what it covers, for the payer). */
export type FulfilMessage =
  | { kind: 'fulfil'; transferId: string; source: string; version: FspiopVersion; hash: string; body: FulfilBody; passHeaders?: Record<string, string> }
  | { kind: 'error'; transferId: string; source: string; version: FspiopVersion; hash: string; body: { errorInformation: ErrorInformation }; passHeaders?: Record<string, string> }

/** From the API and the timeout scanner to the position handler. */
export type PositionMessage =
  | (FulfilMessage & { payerAccountId: number })
  | { kind: 'expire'; transferId: string; payerAccountId: number }

export type PositionTopicMessage = PrepareMessage | PositionMessage

/** A callback for the notification handler to deliver, with what it is about (for dead letters). */
export type Notification = Callback & { reference?: string }
