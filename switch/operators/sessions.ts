// Sessions for the web view: a signed cookie "name|roles|expiry|hmac" (the name URI-encoded, the roles
// comma-separated: the same identity and roles as an operator's token). No server state, so any replica
// can check it; a session ends when it expires or the secret changes.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { isOperatorRole, type OperatorRole } from '../config/operator-roles.ts'

export const SESSION_COOKIE = 'agora_session'
export const SESSION_TTL_MS = 8 * 3_600_000

export interface Session {
  name: string
  roles: readonly OperatorRole[]
}

export function createSessions(secret = randomBytes(32).toString('hex')) {
  const sign = (payload: string) => createHmac('sha256', secret).update(payload).digest('base64url')
  return {
    /** A session for ttl_ms (8 hours unless a shorter one is asked for, e.g. the rest of a token's life). */
    issue(session: Session, now = Date.now(), ttl_ms = SESSION_TTL_MS): string {
      const payload = `${encodeURIComponent(session.name)}|${session.roles.join(',')}|${now + Math.min(ttl_ms, SESSION_TTL_MS)}`
      return `${payload}|${sign(payload)}`
    },
    read(cookieHeader: string | undefined, now = Date.now()): Session | undefined {
      const value = cookieHeader?.split(';').map((c) => c.trim()).find((c) => c.startsWith(`${SESSION_COOKIE}=`))?.slice(SESSION_COOKIE.length + 1)
      if (!value) return undefined
      const parts = decodeURIComponent(value).split('|')
      if (parts.length !== 4) return undefined
      const [name, roleList, expiry, mac] = parts as [string, string, string, string]
      const expected = Buffer.from(sign(`${name}|${roleList}|${expiry}`))
      if (expected.length !== Buffer.from(mac).length || !timingSafeEqual(expected, Buffer.from(mac))) return undefined
      const roles = roleList.split(',')
      if (Number(expiry) < now || !roles.every(isOperatorRole)) return undefined
      return { name: decodeURIComponent(name), roles }
    },
  }
}

export type Sessions = ReturnType<typeof createSessions>
