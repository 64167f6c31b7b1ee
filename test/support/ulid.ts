// ULIDs for tests (the ISO 20022 variant of FSPIOP v2.0 takes only ULIDs as ids): 48-bit time, 80 random bits, Crockford base32.
import { randomBytes } from 'node:crypto'

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

export function ulid(now_ms = Date.now()): string {
  let time = ''
  for (let t = now_ms, i = 0; i < 10; i++, t = Math.floor(t / 32)) time = CROCKFORD[t % 32] + time
  const random = randomBytes(16)
  let rest = ''
  for (let i = 0; i < 16; i++) rest += CROCKFORD[random[i]! % 32]
  return time + rest
}
