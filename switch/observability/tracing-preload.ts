// Loaded with `node --import` before the switch, so tracing hooks are in place before the libraries
// they instrument are imported. Does nothing unless AGORA_TRACING=true; the OpenTelemetry SDK is not even
// loaded then (it adds about a second to every start, which is time a restarted switch does not serve).
import { loadConfig } from '../config/config.ts'
import type { Tracing } from './tracing.ts'

const config = loadConfig().tracing
const tracing: Tracing = config.enabled ? (await import('./tracing.ts')).startTracing(config) : { flush: async () => {}, shutdown: async () => {} }
process.once('beforeExit', () => void tracing.shutdown())
export const tracingShutdown = () => tracing.shutdown()
