// Sessions for the web view: a signed cookie "name|role|expiry|hmac". No server state, so any replica
// can check it; a session ends when it expires or the secret changes.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { WebRole } from '../config.ts'

export const SESSION_COOKIE = 'agora_session'
export const SESSION_TTL_MS = 8 * 3_600_000

export interface Session {
  name: string
  role: WebRole
}

export function createSessions(secret = randomBytes(32).toString('hex')) {
  const sign = (payload: string) => createHmac('sha256', secret).update(payload).digest('base64url')
  return {
    issue(session: Session, now = Date.now()): string {
      const payload = `${session.name}|${session.role}|${now + SESSION_TTL_MS}`
      return `${payload}|${sign(payload)}`
    },
    read(cookieHeader: string | undefined, now = Date.now()): Session | undefined {
      const value = cookieHeader?.split(';').map((c) => c.trim()).find((c) => c.startsWith(`${SESSION_COOKIE}=`))?.slice(SESSION_COOKIE.length + 1)
      if (!value) return undefined
      const parts = decodeURIComponent(value).split('|')
      if (parts.length !== 4) return undefined
      const [name, role, expiry, mac] = parts as [string, string, string, string]
      const expected = Buffer.from(sign(`${name}|${role}|${expiry}`))
      if (expected.length !== Buffer.from(mac).length || !timingSafeEqual(expected, Buffer.from(mac))) return undefined
      if (Number(expiry) < now || (role !== 'operator' && role !== 'regulator')) return undefined
      return { name, role }
    },
  }
}

export type Sessions = ReturnType<typeof createSessions>
