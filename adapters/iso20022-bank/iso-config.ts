// An ISO 20022 bank connector's configuration file (YAML or JSON; README "ISO 20022 bank connector"):
// the connector core's settings, read as the synchronous-API connector reads them, and the bank side —
// where the core posts its XML, the core's own URL, the inbox and outbox folders, the switch's admin API
// for statements.
import path from 'node:path'
import type { Config } from '../../switch/config/config.ts'
import { connectorSettingsFrom, listenAddress, readConfigFile } from '../connector-core/connector-config.ts'
import type { ConnectorSettings } from '../connector-core/connector.ts'

export const INBOX_POLL_MS_DEFAULT = 500
export const SWEEP_INTERVAL_MS_DEFAULT = 2_000

export interface IsoConnectorConfig {
  connector: ConnectorSettings
  /** Where the core POSTs its messages (application/xml). */
  api: { host: string; port: number }
  /** The core's own ISO endpoint: pacs.008 and acmt.023 for payments in, notifications. */
  coreUrl?: string
  folders?: { inbox: string; outbox: string; poll_ms: number }
  notifyTo: 'core' | 'outbox'
  /** The switch's admin API, for camt.053 statements. */
  admin?: { url: string; token?: string }
  sweep_ms: number
  logLevel: string
}

/** The file's ISO part as written (values checked and converted below). */
interface RawIsoConfig {
  folders?: { inbox?: unknown; outbox?: unknown; poll_ms?: unknown }
  notifyTo?: unknown
  coreUrl?: unknown
  admin?: { url?: unknown; token?: unknown }
  sweep_ms?: unknown
}

export function loadIsoConfig(file: string, switchDb: Config['db']): IsoConnectorConfig {
  // The connector core's part is the same file format as every connector's (connector-core/connector-config.ts).
  const { raw: common, dir } = readConfigFile(file)
  const raw = common as RawIsoConfig
  const folders = raw.folders
  const notifyTo = raw.notifyTo ?? (folders && !raw.coreUrl ? 'outbox' : 'core')
  if (notifyTo !== 'core' && notifyTo !== 'outbox') throw new Error(`${file}: notifyTo must be core or outbox`)
  if (notifyTo === 'outbox' && !folders) throw new Error(`${file}: notifyTo outbox needs folders.outbox`)
  return {
    connector: connectorSettingsFrom(common, dir, file, switchDb), api: listenAddress(common.api, 'api', file),
    coreUrl: raw.coreUrl === undefined ? undefined : String(raw.coreUrl),
    folders: folders ? { inbox: path.resolve(dir, String(folders.inbox)), outbox: path.resolve(dir, String(folders.outbox)), poll_ms: Number(folders.poll_ms ?? INBOX_POLL_MS_DEFAULT) } : undefined,
    notifyTo,
    admin: raw.admin ? { url: String(raw.admin.url), token: raw.admin.token === undefined ? undefined : String(raw.admin.token) } : undefined,
    sweep_ms: Number(raw.sweep_ms ?? SWEEP_INTERVAL_MS_DEFAULT),
    logLevel: String(common.logLevel ?? 'info'),
  }
}
