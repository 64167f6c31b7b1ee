// A GSMA connector's configuration file (YAML or JSON; README "Mobile-money providers: the GSMA connector"): the settings every
// connector has (connector-core/connector-config.ts), where the MMP platform calls the connector's GSMA API
// (`api`, and `publicUrl` when the MMP reaches it by another address), and the MMP's own GSMA API
// (`mmp.baseUrl`, an optional `mmp.apiKey` sent as X-API-Key) where payments in are posted.
import type { Config } from '../../switch/config/config.ts'
import type { ConnectorSettings } from '../connector-core/connector.ts'
import { connectorSettingsFrom, listenAddress, readConfigFile, requiredText, type RawConfig } from '../connector-core/connector-config.ts'

export interface GsmaConnectorConfig {
  connector: ConnectorSettings
  api: { host: string; port: number }
  /** The connector's GSMA API as the MMP reaches it (for X-Callback-URL); http://{api.host}:{api.port} by default. */
  publicUrl?: string
  mmp: { baseUrl: string; apiKey?: string }
  logLevel: string
}

export function loadGsmaConfig(file: string, switchDb: Config['db']): GsmaConnectorConfig {
  const { raw, dir } = readConfigFile(file)
  const mmp = (raw.mmp ?? {}) as RawConfig
  return {
    connector: connectorSettingsFrom(raw, dir, file, switchDb),
    api: listenAddress(raw.api, 'api', file),
    ...(raw.publicUrl ? { publicUrl: requiredText(raw, 'publicUrl', file) } : {}),
    mmp: { baseUrl: requiredText(mmp, 'baseUrl', `${file} (mmp)`), ...(mmp.apiKey ? { apiKey: String(mmp.apiKey) } : {}) },
    logLevel: String(raw.logLevel ?? 'info'),
  }
}
