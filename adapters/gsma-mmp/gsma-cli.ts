// `agora connector gsma --config FILE`: runs an MMP's GSMA Mobile Money API connector until SIGINT or SIGTERM.
import { parseArgs } from 'node:util'
import { loadConfig } from '../../switch/config/config.ts'
import { createLogger } from '../../switch/observability/logger.ts'
import { loadGsmaConfig } from './gsma-config.ts'
import { startGsmaConnector } from './gsma-connector.ts'

export const GSMA_CONNECTOR_USAGE = `connector gsma --config FILE          run an MMP's connector: FSPIOP to the switch, the GSMA Mobile Money API v1.2
                                          for its platform, its own GSMA API for payments in (README "Mobile-money providers")`

export async function gsmaConnectorCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, allowPositionals: true, strict: false, options: { config: { type: 'string' }, help: { type: 'boolean', short: 'h' } } })
  if (values.help || typeof values.config !== 'string') {
    console.log(`usage: agora ${GSMA_CONNECTOR_USAGE}`)
    if (values.help) return
    throw new Error('connector gsma: expected `connector gsma --config FILE`')
  }
  const config = loadGsmaConfig(values.config, loadConfig().db)
  const logger = createLogger(config.logLevel, `connector-${config.connector.fspId}`)
  const running = await startGsmaConnector(config, logger)
  console.log(`connector ${config.connector.fspId}: FSPIOP endpoints at ${running.connector.fspiopUrl}, GSMA API at ${running.apiUrl}`)
  await new Promise<void>((resolve) => {
    const stop = () => { running.stop().then(resolve, resolve) }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
}
