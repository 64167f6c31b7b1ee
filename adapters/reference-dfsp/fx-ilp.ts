// The FXP's ILP material for a conversion. No packet travels with an fxQuote, so the fulfilment is
// HMAC-SHA256(secret, the conversion's terms in one canonical form) and the condition base64url(SHA-256 of
// it), as the payee's are for its packet (ilp.ts). The FXP keeps no state per quote: at the fxTransfer it
// rebuilds the fulfilment from the fxTransfer's own terms, and they match the condition only if they are
// the terms it quoted (commitRequestId = the quote's conversionId, as Mojaloop's SDK sends it).
import { createHmac } from 'node:crypto'
import { conditionOf } from '../../ledger/domain/fulfilment.ts'
import { Decimal } from '../../ledger/domain/money.ts'
import type { ConversionLeg } from './fx-terms.ts'

function canonical(leg: ConversionLeg): string {
  const money = (m: { currency: string; amount: string }) => `${m.currency} ${new Decimal(m.amount).toFixed()}`
  return JSON.stringify(['fx', leg.conversionId, leg.determiningTransferId ?? '', leg.initiatingFsp, leg.counterPartyFsp, money(leg.sourceAmount), money(leg.targetAmount)])
}

export function conversionFulfilment(secret: string, leg: ConversionLeg): string {
  return createHmac('sha256', secret).update(canonical(leg)).digest('base64url')
}

export function conversionCondition(secret: string, leg: ConversionLeg): string {
  return conditionOf(conversionFulfilment(secret, leg))
}
