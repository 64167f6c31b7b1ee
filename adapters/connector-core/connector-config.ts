// What every connector's configuration file holds (YAML or JSON; README "DFSP connectors"): the DFSP's id,
// the switch, where the switch calls the connector, its database, its ILP secret and JWS keys. An adapter
// reads its own keys around these. The database's host, port, user and password default to the switch's
// (AGORA_DB_*, read by switch/config/config.ts), its name to agora_connector_<fspId>.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { parse } from 'yaml'
import { SUPPORTED_VERSIONS, type FspiopVersion } from '../../switch/fspiop/headers.ts'
import type { Config } from '../../switch/config/config.ts'
import type { ConnectorSettings } from './connector.ts'

export type RawConfig = Record<string, unknown>

const FSP_ID = /^[A-Za-z0-9_-]{2,32}$/

/** The file as an object, and the folder its relative paths (keys) are read from. */
export function readConfigFile(file: string): { raw: RawConfig; dir: string } {
  const raw: unknown = parse(readFileSync(file, 'utf8'))
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error(`${file}: not a YAML or JSON object`)
  return { raw: raw as RawConfig, dir: path.dirname(path.resolve(file)) }
}

export function connectorSettingsFrom(raw: RawConfig, dir: string, file: string, switchDb: Config['db']): ConnectorSettings {
  const fspId = requiredText(raw, 'fspId', file)
  if (!FSP_ID.test(fspId)) throw new Error(`${file}: fspId ${fspId} must be 2-32 letters, digits, - or _`)
  const version = String(raw.fspiopVersion ?? '1.1')
  if (!(SUPPORTED_VERSIONS as readonly string[]).includes(version)) throw new Error(`${file}: fspiopVersion must be one of ${SUPPORTED_VERSIONS.join(', ')}`)
  const jws = objectAt(raw, 'jws')
  const readPem = (name: string) => readFileSync(path.resolve(dir, name), 'utf8')
  const verifyFiles = objectAt(jws, 'verifyKeys')
  const db = objectAt(raw, 'db')
  return {
    fspId, switchUrl: requiredText(raw, 'switchUrl', file), fspiopVersion: version as FspiopVersion,
    fspiop: listenAddress(raw.fspiop, 'fspiop', file),
    db: {
      host: String(db.host ?? switchDb.host), port: Number(db.port ?? switchDb.port), user: String(db.user ?? switchDb.user),
      password: String(db.password ?? switchDb.password), database: String(db.database ?? `agora_connector_${fspId.replace(/\W/g, '_')}`),
    },
    ilpSecret: requiredText(raw, 'ilpSecret', file), ilpAddress: raw.ilpAddress === undefined ? undefined : String(raw.ilpAddress),
    autoAcceptParty: raw.autoAcceptParty !== false, autoAcceptQuote: raw.autoAcceptQuote !== false,
    jws: {
      privateKeyPem: jws.privateKeyFile ? readPem(String(jws.privateKeyFile)) : undefined,
      verifyKeys: Object.keys(verifyFiles).length ? new Map(Object.entries(verifyFiles).map(([fsp, f]) => [fsp, readPem(String(f))])) : undefined,
    },
  }
}

export function requiredText(raw: RawConfig, key: string, file: string): string {
  const value = raw[key]
  if (typeof value !== 'string' || value === '') throw new Error(`${file}: ${key} is required (a string)`)
  return value
}

export function listenAddress(value: unknown, key: string, file: string): { host: string; port: number } {
  const at = (value ?? {}) as RawConfig
  const port = Number(at.port)
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`${file}: ${key}.port must be a port number`)
  return { host: String(at.host ?? '127.0.0.1'), port }
}

function objectAt(raw: RawConfig, key: string): RawConfig {
  const value = raw[key]
  return value && typeof value === 'object' ? (value as RawConfig) : {}
}
