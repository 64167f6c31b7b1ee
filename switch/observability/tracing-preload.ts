// Loaded with `node --import` before the switch, so tracing hooks are in place before the libraries
// they instrument are imported. Does nothing unless AGORA_TRACING=true.
import { loadConfig } from '../config.ts'
import { startTracing } from './tracing.ts'

const tracing = startTracing(loadConfig().tracing)
process.once('beforeExit', () => void tracing.shutdown())
export const tracingShutdown = () => tracing.shutdown()
