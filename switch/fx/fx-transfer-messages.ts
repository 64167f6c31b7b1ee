// FSPIOP v2.0 /fxTransfers as the pipeline carries them: the initiating DFSP's conversion request (on the
// prepare topic) and the FXP's answer (on the position topic), both keyed by the initiating DFSP's
// POSITION account in the source currency, which owns the conversion and its dependent transfer.
import type { FspiopVersion } from '../fspiop/headers.ts'
import type { ErrorInformation, ExtensionList } from '../fspiop/errors.ts'
import type { PrepareEnvelope } from '../pipeline/messages.ts'

export interface Money {
  amount: string
  currency: string
}

export interface FxTransferPrepareBody {
  commitRequestId: string
  determiningTransferId?: string
  initiatingFsp: string
  counterPartyFsp: string
  sourceAmount: Money
  targetAmount: Money
  condition: string
  expiration?: string
  extensionList?: ExtensionList
}

/** POST /fxTransfers. The envelope's accounts: payer = the initiating DFSP's source-currency POSITION (and
 *  SETTLEMENT), payee = the FXP's source-currency POSITION (credited when the dependent transfer commits). */
export interface FxPrepareMessage extends PrepareEnvelope {
  kind: 'fx-prepare'
  commitRequestId: string
  body: FxTransferPrepareBody
}

export interface FxFulfilBody {
  fulfilment?: string
  completedTimestamp?: string
  conversionState: 'RECEIVED' | 'RESERVED' | 'COMMITTED' | 'ABORTED'
  extensionList?: ExtensionList
}

interface FxAnswerCommon {
  commitRequestId: string
  source: string
  version: FspiopVersion
  hash: string
  passHeaders?: Record<string, string>
  /** The owner's account (the key): the conversion's payer POSITION account. */
  payerAccountId: number
}

/** PUT /fxTransfers/{id} or PUT /fxTransfers/{id}/error from the FXP. */
export type FxAnswerMessage =
  | (FxAnswerCommon & { kind: 'fx-fulfil'; body: FxFulfilBody })
  | (FxAnswerCommon & { kind: 'fx-error'; body: { errorInformation: ErrorInformation } })

export type FxPositionMessage = FxPrepareMessage | FxAnswerMessage

