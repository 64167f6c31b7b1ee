// Structured logs (pino): one JSON line per event, written asynchronously off the hot path. Secrets and
// payment data are redacted wherever a caller puts them (switch/observability/redact.ts).
import pino, { type DestinationStream, type Logger, type LoggerOptions } from 'pino'
import { LOG_REDACT_PATHS, serializeError } from './redact.ts'

export type { Logger }

export function loggerOptions(level: string, name = 'agora'): LoggerOptions {
  return {
    name, level, base: { service: name },
    redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' },
    serializers: { err: serializeError, error: serializeError },
  }
}

export function createLogger(level: string, name = 'agora', destination: DestinationStream = pino.destination({ sync: false, minLength: 4096 })): Logger {
  return pino(loggerOptions(level, name), destination)
}

/** A logger that writes nothing, for tests and tools that print their own output. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' })
}
