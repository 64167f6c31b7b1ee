// A synchronous-API connector's configuration file (YAML or JSON; README "DFSP connectors"): the settings
// every connector has (connector-core/connector-config.ts), where the core calls the connector (`api`) and
// the core's backend API (`backendUrl`).
import type { Config } from '../../switch/config/config.ts'
import type { ConnectorSettings } from '../connector-core/connector.ts'
import { connectorSettingsFrom, listenAddress, readConfigFile, requiredText } from '../connector-core/connector-config.ts'

export interface SyncConnectorConfig {
  connector: ConnectorSettings
  /** Where the core calls this connector. */
  api: { host: string; port: number }
  /** The core's backend API (GET /parties, POST /quoterequests, POST /transfers, PUT /transfers/{id}). */
  backendUrl: string
  logLevel: string
}

export function loadSyncConfig(file: string, switchDb: Config['db']): SyncConnectorConfig {
  const { raw, dir } = readConfigFile(file)
  return {
    connector: connectorSettingsFrom(raw, dir, file, switchDb),
    api: listenAddress(raw.api, 'api', file),
    backendUrl: requiredText(raw, 'backendUrl', file),
    logLevel: String(raw.logLevel ?? 'info'),
  }
}
