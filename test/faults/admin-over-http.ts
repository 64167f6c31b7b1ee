// The admin API of a switch process over HTTP, in the shape the onboarding fixtures drive (fastify's inject).
import type { FastifyInstance } from 'fastify'

export function adminOverHttp(adminUrl: string): FastifyInstance {
  return {
    async inject(o: { method: string; url: string; payload?: unknown; headers: Record<string, string> }) {
      const body = o.payload === undefined ? undefined : JSON.stringify(o.payload)
      const r = await fetch(`${adminUrl}${o.url}`, { method: o.method, headers: { ...o.headers, ...(body ? { 'content-type': 'application/json' } : {}) }, body })
      const text = await r.text()
      return { statusCode: r.status, body: text, json: () => JSON.parse(text) }
    },
  } as unknown as FastifyInstance
}
