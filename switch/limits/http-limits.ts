// The time bounds of every HTTP server the switch runs (FSPIOP API, admin API, health), as fastify and
// Node options. Node answers a request whose headers or body do not arrive in time with 408 and closes
// the connection, so a client that sends headers and then nothing holds a socket for at most
// requestTimeout_ms (plus one check interval), never indefinitely.
import type { LimitsConfig } from '../config/config.ts'

type HttpLimits = LimitsConfig['http']

/** Options of Node's http/https createServer (both take them). */
export function nodeServerOptions(limits: HttpLimits) {
  return {
    requestTimeout: limits.requestTimeout_ms,
    headersTimeout: limits.headersTimeout_ms,
    connectionsCheckingInterval: limits.timeoutCheckInterval_ms,
    keepAliveTimeout: limits.keepAliveTimeout_ms,
  }
}

/** Fastify's own timeout options; fastify sets them on the server it creates, after Node's above. */
export function fastifyTimeoutOptions(limits: HttpLimits) {
  return {
    requestTimeout: limits.requestTimeout_ms,
    connectionTimeout: limits.connectionTimeout_ms,
    keepAliveTimeout: limits.keepAliveTimeout_ms,
  }
}
