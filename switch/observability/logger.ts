// Structured logs (pino): one JSON line per event, written asynchronously off the hot path.
import pino, { type Logger } from 'pino'

export type { Logger }

export function createLogger(level: string, name = 'agora'): Logger {
  return pino({ name, level, base: { service: name } }, pino.destination({ sync: false, minLength: 4096 }))
}

/** A logger that writes nothing, for tests and tools that print their own output. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' })
}
