// `agora connector sync --config FILE` (adapters/connector-commands.ts dispatches): runs a DFSP's synchronous-API connector until SIGINT or SIGTERM.
import { parseArgs } from 'node:util'
import { loadConfig } from '../../switch/config/config.ts'
import { createLogger } from '../../switch/observability/logger.ts'
import { loadSyncConfig } from './sync-config.ts'
import { startSyncConnector } from './sync-connector.ts'

export const SYNC_CONNECTOR_USAGE = `connector sync --config FILE          run a DFSP's connector: FSPIOP to the switch, a synchronous API
                                          (POST /payments) for its core, the core's backend API for payments in (README)`

export async function syncConnectorCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, allowPositionals: true, strict: false, options: { config: { type: 'string' }, help: { type: 'boolean', short: 'h' } } })
  if (values.help || typeof values.config !== 'string') {
    console.log(`usage: agora ${SYNC_CONNECTOR_USAGE}`)
    if (values.help) return
    throw new Error('connector: expected `connector sync --config FILE`')
  }
  const config = loadSyncConfig(values.config, loadConfig().db)
  const logger = createLogger(config.logLevel, `connector-${config.connector.fspId}`)
  const running = await startSyncConnector(config, logger)
  console.log(`connector ${config.connector.fspId}: FSPIOP endpoints at ${running.connector.fspiopUrl}, synchronous API at ${running.apiUrl}`)
  await new Promise<void>((resolve) => {
    const stop = () => { running.stop().then(resolve, resolve) }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
}
