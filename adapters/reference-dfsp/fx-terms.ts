// The FSPIOP v2.0 shapes of a currency conversion as the reference DFSP reads and writes them
// (fspiop-rest-v2.0-openapi3-snippets.yaml: FxConversion, FxMoney, FxCharge, FxQuotesPostRequest,
// FxQuotesIDPutResponse, FxTransfersPostRequest, FxTransfersIDPutResponse, FxTransfersIDPatchResponse).

export interface Money {
  currency: string
  amount: string
}

/** Money whose amount may be left for the FXP to fill (the target of a SEND, the source of a RECEIVE). */
export interface FxMoney {
  currency: string
  amount?: string
}

export interface FxCharge {
  chargeType: string
  sourceAmount?: Money
  targetAmount?: Money
}

export type AmountType = 'SEND' | 'RECEIVE'

export interface FxConversion {
  conversionId: string
  determiningTransferId?: string
  initiatingFsp: string
  counterPartyFsp: string
  amountType: AmountType
  sourceAmount: FxMoney
  targetAmount: FxMoney
  expiration: string
  charges?: FxCharge[]
}

export interface FxQuoteRequest {
  conversionRequestId: string
  conversionTerms: FxConversion
}

export interface FxQuoteAnswer {
  condition: string
  conversionTerms: FxConversion & { sourceAmount: Money; targetAmount: Money }
}

export interface FxTransferRequest {
  commitRequestId: string
  determiningTransferId?: string
  initiatingFsp: string
  counterPartyFsp: string
  sourceAmount: Money
  targetAmount: Money
  condition: string
  expiration: string
}

/** PUT /fxTransfers/{id} (the FXP's answer) and PATCH /fxTransfers/{id} (the switch's final word to the FXP). */
export interface FxTransferState {
  conversionState: 'RECEIVED' | 'RESERVED' | 'COMMITTED' | 'ABORTED'
  fulfilment?: string
  completedTimestamp?: string
}

/** The conversion an fxTransfer commits: what the FXP's condition binds (an fxQuote's agreed terms, or an fxTransfer's). */
export interface ConversionLeg {
  conversionId: string
  determiningTransferId?: string
  initiatingFsp: string
  counterPartyFsp: string
  sourceAmount: Money
  targetAmount: Money
}

export function legOfTransfer(t: FxTransferRequest): ConversionLeg {
  return {
    conversionId: t.commitRequestId, determiningTransferId: t.determiningTransferId, initiatingFsp: t.initiatingFsp, counterPartyFsp: t.counterPartyFsp,
    sourceAmount: t.sourceAmount, targetAmount: t.targetAmount,
  }
}

export function legOfQuote(terms: FxQuoteAnswer['conversionTerms']): ConversionLeg {
  return {
    conversionId: terms.conversionId, determiningTransferId: terms.determiningTransferId, initiatingFsp: terms.initiatingFsp, counterPartyFsp: terms.counterPartyFsp,
    sourceAmount: terms.sourceAmount, targetAmount: terms.targetAmount,
  }
}
