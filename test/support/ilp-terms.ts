// Real ILPv4 prepare packets for tests of the ISO 20022 mode, where the condition travels inside the
// packet: the packet's data is the FSPIOP v2.0 Transaction object (base64url JSON), as Mojaloop's SDK makes it.
import { randomBytes } from 'node:crypto'
import { ulid } from './ulid.ts'
import ilpPacket from 'ilp-packet'
import { conditionOf } from '../../ledger/domain/fulfilment.ts'

export interface IlpTerms {
  ilpPacket: string
  condition: string
  fulfilment: string
}

export interface TermsTransaction {
  transactionId?: string
  quoteId?: string
  payer: { partyIdType: string; partyIdentifier: string; fspId: string }
  payee: { partyIdType: string; partyIdentifier: string; fspId: string }
  amount: { amount: string; currency: string }
}

export function ilpTerms(t: TermsTransaction, expiresIn_ms = 60_000): IlpTerms {
  const fulfilment = randomBytes(32).toString('base64url')
  const condition = conditionOf(fulfilment)
  const transaction = {
    transactionId: t.transactionId ?? ulid(), quoteId: t.quoteId ?? ulid(),
    payer: { partyIdInfo: t.payer }, payee: { partyIdInfo: t.payee }, amount: t.amount,
    transactionType: { scenario: 'TRANSFER', initiator: 'PAYER', initiatorType: 'CONSUMER' },
  }
  const packet = ilpPacket.serializeIlpPrepare({
    amount: t.amount.amount.replace('.', ''), executionCondition: Buffer.from(condition, 'base64url'), expiresAt: new Date(Date.now() + expiresIn_ms),
    destination: `g.agora.${t.payee.fspId}`, data: Buffer.from(Buffer.from(JSON.stringify(transaction)).toString('base64url')),
  })
  return { ilpPacket: packet.toString('base64url'), condition, fulfilment }
}
