// The pipeline's topics and the messages on them.
import type { FspiopVersion } from '../fspiop/headers.ts'
import type { Callback } from '../fspiop/callback.ts'
import type { ErrorInformation, ExtensionList } from '../fspiop/errors.ts'

export const TOPICS = {
  /** Prepares from the API, keyed by the payer's POSITION account id. */
  prepare: 'transfer.prepare',
  /** Fulfils, rejects and errors from payees (the API) and expiries (the timeout scanner), keyed by the payer's POSITION account id
   *  (a conversion's dependent transfer: the conversion's owner's). */
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

export interface PrepareMessage extends PrepareEnvelope {
  kind: 'prepare'
  transferId: string
  body: TransferPrepareBody
  /** Set on the dependent transfer of a currency conversion (switch/fx): the envelope's payer accounts are
   *  then the FXP's in the target currency, and the message is keyed by the conversion's owner. */
  conversion?: { commitRequestId: string; ownerAccountId: number }
}

/** What every prepare carries besides its body, single or bulk (bulk-messages.ts). */
export interface PrepareEnvelope {
  /** The payer's Content-Type version: the prepare is forwarded to the payee in it. */
  version: FspiopVersion
  /** The payer's Accept version: the hub's callbacks to the payer use it. Absent on messages written
   *  before it existed, which are answered in `version` (see answerVersion). */
  acceptVersion?: FspiopVersion
  /** The payer's headers the payee gets unchanged (its FSPIOP-Signature, …); absent on older messages. */
  passHeaders?: Record<string, string>
  hash: string
  /** Epoch ms: the payer was answered 2003 if Kafka had not taken the prepare by then, and a copy Kafka
   *  appended later is dropped unread (batch-consumer.ts). Absent on older messages. */
  publishBy?: number
  /** NO_ACCOUNT (ledger/store/transfers.ts) where a refused prepare names an account the ledger lacks. */
  payerAccountId: number
  payeeAccountId: number
  payerSettlementAccountId: number
  /** Why the prepare is refused (central-ledger's validator reasons): recorded ABORTED with 3100, payer told. */
  refusal?: string
}

export interface FulfilBody {
  fulfilment?: string
  completedTimestamp?: string
  transferState: 'RECEIVED' | 'RESERVED' | 'COMMITTED' | 'ABORTED'
  extensionList?: ExtensionList
}

/** A payee's answer, as the API takes it. `passHeaders`: the payee's headers the payer gets unchanged
 *  with its answer (FSPIOP-Signature, …); absent on older messages. */
export type FulfilMessage =
  | { kind: 'fulfil'; transferId: string; source: string; version: FspiopVersion; hash: string; body: FulfilBody; passHeaders?: Record<string, string> }
  | { kind: 'error'; transferId: string; source: string; version: FspiopVersion; hash: string; body: { errorInformation: ErrorInformation }; passHeaders?: Record<string, string> }

/** From the API and the timeout scanner to the position handler. */
export type PositionMessage =
  | (FulfilMessage & { payerAccountId: number; commitRequestId?: string })
  | { kind: 'expire'; transferId: string; payerAccountId: number; commitRequestId?: string }

export type PositionTopicMessage = PrepareMessage | PositionMessage

/** The version the hub answers a message's sender in: what it asked for in Accept, or (older messages,
 *  callbacks) the version it sent. */
export function answerVersion(m: { version: FspiopVersion; acceptVersion?: FspiopVersion }): FspiopVersion {
  return m.acceptVersion ?? m.version
}

/** A callback for the notification handler to deliver, with what it is about (for dead letters). */
export type Notification = Callback & { reference?: string }
