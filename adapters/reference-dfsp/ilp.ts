// The payee's ILP material: the packet is opaque to the switch (here, base64url of the transaction), the
// fulfilment is HMAC-SHA256(secret, packet), the condition is SHA-256 of the fulfilment. The payee can
// rebuild the fulfilment from the packet the prepare carries, so it keeps no state per quote.
import { createHmac } from 'node:crypto'
import { conditionOf } from '../../ledger/domain/fulfilment.ts'

export function ilpPacketFor(transaction: unknown): string {
  return Buffer.from(JSON.stringify(transaction)).toString('base64url')
}

export function fulfilmentFor(secret: string, ilpPacket: string): string {
  return createHmac('sha256', secret).update(ilpPacket).digest('base64url')
}

export function conditionFor(secret: string, ilpPacket: string): string {
  return conditionOf(fulfilmentFor(secret, ilpPacket))
}

export function transactionOf(ilpPacket: string): any {
  return JSON.parse(Buffer.from(ilpPacket, 'base64url').toString('utf8'))
}
