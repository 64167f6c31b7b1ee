// Headers on every web view response: a Content-Security-Policy that runs only the page's own script and
// style (allowed by their SHA-256, no inline code otherwise) and the chart library the switch serves
// itself ('self', chart-assets.ts), and loads nothing from elsewhere, no framing,
// no MIME sniffing, no referrer; and the session cookie's flags.
import { createHash } from 'node:crypto'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Config } from '../config/config.ts'

function hashesOf(html: string, tag: 'script' | 'style'): string {
  const blocks = [...html.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => m[1]!)
  if (blocks.length === 0) return "'none'"
  return blocks.map((body) => `'sha256-${createHash('sha256').update(body).digest('base64')}'`).join(' ')
}

/** The policy for a page whose only code is its inline <script> and <style> blocks and the switch's own files. */
export function contentSecurityPolicy(html: string): string {
  return [
    "default-src 'none'",
    `script-src 'self' ${hashesOf(html, 'script')}`,
    `style-src 'self' ${hashesOf(html, 'style')}`,
    "connect-src 'self'",
    "img-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
}

/** Adds the headers to every response of the (encapsulated) web view plugin. */
export function addSecurityHeaders(app: FastifyInstance, html: string): void {
  const policy = contentSecurityPolicy(html)
  app.addHook('onSend', async (_request, reply) => {
    reply.header('content-security-policy', policy)
    reply.header('x-frame-options', 'DENY')
    reply.header('x-content-type-options', 'nosniff')
    reply.header('referrer-policy', 'no-referrer')
    reply.header('cross-origin-opener-policy', 'same-origin')
  })
}

/** HttpOnly and SameSite=Strict always; Secure in production, when configured, and over https. */
export function sessionCookieFlags(config: Pick<Config, 'env' | 'web'>, request: FastifyRequest): string {
  const secure = config.env === 'production' || config.web.cookieSecure || request.protocol === 'https'
  return `HttpOnly; SameSite=Strict; Path=/ui${secure ? '; Secure' : ''}`
}
