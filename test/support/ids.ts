// ULIDs for tests (https://github.com/ulid/spec): 48 bits of milliseconds and 80 random bits in
// Crockford's base32, uppercase, as current Mojaloop clients send them.
import { randomBytes } from 'node:crypto'

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

export function newUlid(now_ms = Date.now()): string {
  let time = ''
  let t = now_ms
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32]! + time
    t = Math.floor(t / 32)
  }
  const random = [...randomBytes(16)].map((b) => CROCKFORD[b % 32]).join('')
  return time + random
}
