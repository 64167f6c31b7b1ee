// The payee's ILP material. The ILP packet is opaque to the switch; here it is base64url of the
// transaction as JSON ({transactionId, quoteId, payee, amount}), not an ILP v4 OER packet: the payee reads
// it back at prepare, so it keeps no state per quote. The fulfilment is HMAC-SHA256(secret, packet),
// the condition base64url(SHA-256(fulfilment)): 32 bytes each, 43 base64url characters.
import { createHmac } from 'node:crypto'
import { conditionOf } from '../../ledger/domain/fulfilment.ts'

export interface IlpTransaction {
  transactionId?: string
  quoteId?: string
  /** The payee customer's identifier at the payee DFSP. */
  payee: string
  amount: { amount: string; currency: string }
}

export function ilpPacketFor(transaction: IlpTransaction): string {
  return Buffer.from(JSON.stringify(transaction)).toString('base64url')
}

export function fulfilmentFor(secret: string, ilpPacket: string): string {
  return createHmac('sha256', secret).update(ilpPacket).digest('base64url')
}

export function conditionFor(secret: string, ilpPacket: string): string {
  return conditionOf(fulfilmentFor(secret, ilpPacket))
}

/** The transaction a packet carries; undefined when the packet is not one of ours. */
export function transactionOf(ilpPacket: string): IlpTransaction | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(ilpPacket, 'base64url').toString('utf8'))
    return parsed && typeof parsed === 'object' ? (parsed as IlpTransaction) : undefined
  } catch {
    return undefined
  }
}
