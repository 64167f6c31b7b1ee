// ILP fulfilment and condition: the condition is base64url(sha256(fulfilment)), both 32 bytes
// (43 base64url characters). The ILP packet itself is opaque to the switch.
import { createHash } from 'node:crypto'

export const BASE64URL_32_BYTES = /^[A-Za-z0-9_-]{43}$/

export function conditionOf(fulfilment: string): string {
  return createHash('sha256').update(Buffer.from(fulfilment, 'base64url')).digest('base64url')
}

export function fulfilmentMatches(fulfilment: string, condition: string): boolean {
  if (!BASE64URL_32_BYTES.test(fulfilment) || !BASE64URL_32_BYTES.test(condition)) return false
  return conditionOf(fulfilment) === condition
}
