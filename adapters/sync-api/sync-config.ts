// A synchronous-API connector's configuration file (YAML or JSON; README "DFSP connectors"). Everything a
// connector needs is in the file; the database's host, port, user and password default to the switch's
// (AGORA_DB_*, read by switch/config.ts), its name to agora_connector_<fspId>.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'yaml'
import { SUPPORTED_VERSIONS, type FspiopVersion } from '../../switch/fspiop/headers.ts'
import type { Config } from '../../switch/config.ts'
import type { ConnectorSettings } from '../connector-core/connector.ts'

export interface SyncConnectorConfig {
  connector: ConnectorSettings
  /** Where the core calls this connector. */
  api: { host: string; port: number }
  /** The core's backend API (GET /parties, POST /quoterequests, POST /transfers, PUT /transfers/{id}). */
  backendUrl: string
  logLevel: string
}

const FSP_ID = /^[A-Za-z0-9_-]{2,32}$/

export function loadSyncConfig(file: string, switchDb: Config['db'], opts: { backendUrlRequired?: boolean } = {}): SyncConnectorConfig {
  const raw = parse(readFileSync(file, 'utf8')) as Record<string, any>
  if (!raw || typeof raw !== 'object') throw new Error(`${file}: not a YAML or JSON object`)
  const dir = path.dirname(path.resolve(file))
  const fspId = text(raw, 'fspId')
  if (!FSP_ID.test(fspId)) throw new Error(`${file}: fspId ${fspId} must be 2-32 letters, digits, - or _`)
  const version = String(raw.fspiopVersion ?? '1.1')
  if (!(SUPPORTED_VERSIONS as readonly string[]).includes(version)) throw new Error(`${file}: fspiopVersion must be one of ${SUPPORTED_VERSIONS.join(', ')}`)
  const jws = raw.jws ?? {}
  const readPem = (name: string) => readFileSync(path.resolve(dir, name), 'utf8')
  const verifyFiles: Record<string, string> = jws.verifyKeys ?? {}
  const db = raw.db ?? {}
  return {
    connector: {
      fspId, switchUrl: text(raw, 'switchUrl'), fspiopVersion: version as FspiopVersion,
      fspiop: listen(raw.fspiop, 'fspiop', file),
      db: {
        host: String(db.host ?? switchDb.host), port: Number(db.port ?? switchDb.port), user: String(db.user ?? switchDb.user),
        password: String(db.password ?? switchDb.password), database: String(db.database ?? `agora_connector_${fspId.replace(/\W/g, '_')}`),
      },
      ilpSecret: text(raw, 'ilpSecret'), ilpAddress: raw.ilpAddress === undefined ? undefined : String(raw.ilpAddress),
      autoAcceptParty: raw.autoAcceptParty !== false, autoAcceptQuote: raw.autoAcceptQuote !== false,
      jws: {
        privateKeyPem: jws.privateKeyFile ? readPem(String(jws.privateKeyFile)) : undefined,
        verifyKeys: Object.keys(verifyFiles).length ? new Map(Object.entries(verifyFiles).map(([fsp, f]) => [fsp, readPem(String(f))])) : undefined,
      },
    },
    api: listen(raw.api, 'api', file),
    backendUrl: opts.backendUrlRequired === false ? String(raw.backendUrl ?? '') : text(raw, 'backendUrl'),
    logLevel: String(raw.logLevel ?? 'info'),
  }
}

function text(raw: Record<string, any>, key: string): string {
  const value = raw[key]
  if (typeof value !== 'string' || value === '') throw new Error(`config: ${key} is required (a string)`)
  return value
}

function listen(value: any, key: string, file: string): { host: string; port: number } {
  const port = Number(value?.port)
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`${file}: ${key}.port must be a port number`)
  return { host: String(value?.host ?? '127.0.0.1'), port }
}
