// `agora connector sync --config FILE`: runs a DFSP's synchronous-API connector until SIGINT or SIGTERM.
import { parseArgs } from 'node:util'
import { loadConfig } from '../../switch/config.ts'
import { createLogger } from '../../switch/observability/logger.ts'
import { loadSyncConfig } from './sync-config.ts'
import { startSyncConnector } from './sync-connector.ts'
import { ISO_CONNECTOR_USAGE, runIsoConnector } from '../iso20022-bank/iso-cli.ts'

export const CONNECTOR_USAGE = `connector sync --config FILE          run a DFSP's connector: FSPIOP to the switch, a synchronous API
                                          (POST /payments) for its core, the core's backend API for payments in (README)
       agora ${ISO_CONNECTOR_USAGE}`
const KINDS = ['sync', 'iso20022']

export async function connectorCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, strict: false, options: { config: { type: 'string' }, help: { type: 'boolean', short: 'h' } } })
  if (values.help || !KINDS.includes(positionals[0] ?? '') || typeof values.config !== 'string') {
    console.log(`usage: agora ${positionals[0] === 'iso20022' ? ISO_CONNECTOR_USAGE : CONNECTOR_USAGE}`)
    if (values.help) return
    throw new Error('connector: expected `connector sync --config FILE` or `connector iso20022 --config FILE`')
  }
  if (positionals[0] === 'iso20022') return runIsoConnector(values.config)
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
