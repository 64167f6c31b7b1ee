// ISO 20022 banks for end-to-end tests: a simulated core (iso-bank-core.ts) and its connector, onboarded
// on a test switch with the connector's callback URL, its customers registered with the account lookup.
import { randomBytes } from 'node:crypto'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { request } from 'undici'
import { loadConfig } from '../../switch/config/config.ts'
import { openDb } from '../../ledger/store/db.ts'
import { silentLogger } from '../../switch/observability/logger.ts'
import { onboardDfsp } from './fixtures.ts'
import type { SwitchHarness } from './switch-harness.ts'
import { IsoBankCore, type IsoCustomer } from '../../adapters/iso20022-bank/simulated-bank-core.ts'
import { startIsoConnector, type IsoConnector } from '../../adapters/iso20022-bank/iso-connector.ts'
import type { IsoConnectorConfig } from '../../adapters/iso20022-bank/iso-config.ts'

export interface IsoBank {
  core: IsoBankCore
  connector: IsoConnector
  config: IsoConnectorConfig
}

const databases: string[] = []

export function isoConfigFor(sw: SwitchHarness, fspId: string, coreUrl: string, o: { folders?: boolean; adminUrl?: string } = {}): IsoConnectorConfig {
  const database = `agora_connector_${fspId}_${randomBytes(3).toString('hex')}`
  databases.push(database)
  const dir = o.folders ? mkdtempSync(path.join(tmpdir(), `agora-iso-${fspId}-`)) : undefined
  return {
    connector: {
      fspId, switchUrl: sw.apiUrl, fspiopVersion: '1.1', fspiop: { host: '127.0.0.1', port: 0 },
      db: { ...loadConfig().db, database, poolMax: 5 }, ilpSecret: `${fspId}-ilp-secret`, ilpAddress: `g.agora.${fspId}`, autoAcceptParty: true, autoAcceptQuote: true,
    },
    api: { host: '127.0.0.1', port: 0 }, coreUrl,
    folders: dir ? { inbox: path.join(dir, 'inbox'), outbox: path.join(dir, 'outbox'), poll_ms: 100 } : undefined,
    notifyTo: 'core', admin: o.adminUrl ? { url: o.adminUrl } : undefined, sweep_ms: 200, logLevel: 'silent',
  }
}

export async function startIsoBank(sw: SwitchHarness, fspId: string, customers: IsoCustomer[], o: { ndc?: string; folders?: boolean; adminUrl?: string } = {}): Promise<IsoBank> {
  const core = new IsoBankCore(fspId, customers)
  await core.start()
  const config = isoConfigFor(sw, fspId, core.url, o)
  const connector = await startIsoConnector(config, silentLogger())
  await onboardDfsp(sw.admin, { name: fspId, ndc: o.ndc ?? '1000', fundsIn: '100000', endpointBase: connector.connector.fspiopUrl })
  for (const c of customers) {
    const registered = await request(`${connector.apiUrl}/parties/${c.idType}/${c.idValue}`, { method: 'POST' })
    if (registered.statusCode !== 200) throw new Error(`registering ${c.idValue}: ${registered.statusCode} ${await registered.body.text()}`)
    await registered.body.dump()
  }
  return { core, connector, config }
}

/** Drops the connectors' databases made by isoConfigFor. */
export async function dropIsoDatabases(): Promise<void> {
  const db = openDb({ ...loadConfig().db, database: '' })
  for (const name of databases.splice(0)) await db.raw('DROP DATABASE IF EXISTS ??', [name])
  await db.destroy()
}

export async function postXml(url: string, xml: string): Promise<string> {
  const response = await request(url, { method: 'POST', headers: { 'content-type': 'application/xml' }, body: xml })
  return response.body.text()
}
