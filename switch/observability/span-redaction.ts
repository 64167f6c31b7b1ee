// Scrubs spans before they are exported: party identifiers out of URLs and names (http.url, url.full,
// http.target, url.path, ...), header attributes that carry credentials dropped, SQL values out of
// recorded exceptions. Runs as the first span processor, when a span starts and again as it ends.
import type { Attributes } from '@opentelemetry/api'
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace'
import { redactPartyPaths, redactSqlText } from './redact.ts'

/** Attributes no trace keeps: credentials, cookies, signatures, bodies. */
const SECRET_ATTRIBUTE = /(authorization|cookie|fspiop-signature|password|token|secret|\.body\b|request\.body|response\.body)/i

function clean(attributes: Attributes, set: (key: string, value: string) => void): void {
  for (const [key, value] of Object.entries(attributes)) {
    if (SECRET_ATTRIBUTE.test(key)) {
      set(key, '[redacted]')
      continue
    }
    if (typeof value !== 'string') continue
    const scrubbed = key.startsWith('exception.') ? redactSqlText(redactPartyPaths(value)) : redactPartyPaths(value)
    if (scrubbed !== value) set(key, scrubbed)
  }
}

function scrub(span: Span): void {
  clean(span.attributes, (key, value) => span.setAttribute(key, value))
  const name = redactPartyPaths(span.name)
  if (name !== span.name) span.updateName(name)
  for (const event of span.events) {
    const attributes = event.attributes
    if (attributes) clean(attributes, (key, value) => { (attributes as Record<string, unknown>)[key] = value })
  }
}

export class RedactingSpanProcessor implements SpanProcessor {
  onStart(span: Span): void {
    scrub(span)
  }
  onEnding(span: Span): void {
    scrub(span)
  }
  onEnd(_span: ReadableSpan): void {}
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}
