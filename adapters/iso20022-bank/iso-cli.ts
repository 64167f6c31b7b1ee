// `agora connector iso20022 --config FILE`: runs an ISO 20022 bank's connector until SIGINT or SIGTERM.
import { loadConfig } from '../../switch/config/config.ts'
import { createLogger } from '../../switch/observability/logger.ts'
import { loadIsoConfig } from './iso-config.ts'
import { startIsoConnector } from './iso-connector.ts'
import { parseArgs } from 'node:util'

export const ISO_CONNECTOR_USAGE = `connector iso20022 --config FILE      run an ISO 20022 bank's connector: FSPIOP to the switch; pacs.008, pacs.028
                                          and acmt.023 from the bank core (HTTP POST application/xml or an inbox
                                          folder), pacs.002, acmt.024, camt.054 and camt.053 back (README)`

export async function isoConnectorCommand(argv: string[]): Promise<void> {
  const { values } = parseArgs({ args: argv, allowPositionals: true, strict: false, options: { config: { type: 'string' }, help: { type: 'boolean', short: 'h' } } })
  if (values.help || typeof values.config !== 'string') {
    console.log(`usage: agora ${ISO_CONNECTOR_USAGE}`)
    if (values.help) return
    throw new Error('connector: expected `connector iso20022 --config FILE`')
  }
  const config = loadIsoConfig(values.config, loadConfig().db)
  const logger = createLogger(config.logLevel, `connector-${config.connector.fspId}`)
  const running = await startIsoConnector(config, logger)
  console.log(`connector ${config.connector.fspId}: FSPIOP endpoints at ${running.connector.fspiopUrl}, ISO 20022 messages at ${running.apiUrl}${config.folders ? `, inbox ${config.folders.inbox}` : ''}`)
  await new Promise<void>((resolve) => {
    const stop = () => { running.stop().then(resolve, resolve) }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
}
