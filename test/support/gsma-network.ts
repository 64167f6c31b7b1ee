// A switch with GSMA connectors for MMPs (and their simulated platforms) for end-to-end tests: each connector
// has its own database, each platform its own books; accounts are registered with the switch's lookup.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { startGsmaConnector, type GsmaConnector } from '../../adapters/gsma-mmp/gsma-connector.ts'
import type { GsmaConnectorConfig } from '../../adapters/gsma-mmp/gsma-config.ts'
import { loadConfig } from '../../switch/config/config.ts'
import { openDb } from '../../ledger/store/db.ts'
import { silentLogger } from '../../switch/observability/logger.ts'
import { onboardDfsp } from './fixtures.ts'
import { SimulatedMmp, send, type Callback } from './simulated-mmp.ts'
import type { SwitchHarness } from './switch-harness.ts'

const POLL_ATTEMPTS_MAX = 300
const POLL_INTERVAL_MS = 50

export class GsmaNetwork {
  readonly mmps: Record<string, SimulatedMmp> = {}
  readonly connectors: Record<string, GsmaConnector> = {}
  readonly configs: Record<string, GsmaConnectorConfig> = {}
  private readonly databases: string[] = []

  constructor(private readonly sw: SwitchHarness) {}

  /** An MMP on the switch: its platform, its connector, its wallets registered by msisdn. */
  async mmp(fspId: string, wallets: Record<string, string>, ndc = '1000'): Promise<void> {
    const platform = (this.mmps[fspId] = new SimulatedMmp(wallets))
    await platform.start()
    const database = `agora_connector_${fspId}_${randomBytes(3).toString('hex')}`
    this.databases.push(database)
    this.configs[fspId] = {
      connector: {
        fspId, switchUrl: this.sw.apiUrl, fspiopVersion: '1.1', fspiop: { host: '127.0.0.1', port: 0 },
        db: { ...loadConfig().db, database, poolMax: 5 }, ilpSecret: `${fspId}-ilp-secret`, ilpAddress: `g.agora.${fspId}`,
        autoAcceptParty: true, autoAcceptQuote: true,
      },
      api: { host: '127.0.0.1', port: 0 }, mmp: { baseUrl: platform.url }, logLevel: 'silent',
    }
    const running = (this.connectors[fspId] = await startGsmaConnector(this.configs[fspId], silentLogger()))
    await onboardDfsp(this.sw.admin, { name: fspId, ndc, fundsIn: '100000', endpointBase: running.connector.fspiopUrl })
    for (const msisdn of Object.keys(wallets)) {
      const registered = await send(running.apiUrl, 'POST', `/connector/accounts/msisdn/${msisdn}`)
      assert.equal(registered.status, 200, JSON.stringify(registered.body))
    }
  }

  api(fspId: string): string {
    return this.connectors[fspId]!.apiUrl
  }

  /** The callbacks the platform received for a request, once there is at least one. */
  async callbackFor(fspId: string, cid: string): Promise<Callback> {
    await eventually(() => (this.mmps[fspId]!.callbacks.get(cid)?.length ?? 0) > 0, `a callback for ${cid}`)
    return this.mmps[fspId]!.callbacks.get(cid)![0]!
  }

  async close(): Promise<void> {
    for (const c of Object.values(this.connectors)) await c.stop()
    for (const m of Object.values(this.mmps)) await m.close()
    const db = openDb({ ...loadConfig().db, database: '' })
    for (const name of this.databases) await db.raw('DROP DATABASE IF EXISTS ??', [name])
    await db.destroy()
  }
}

export async function eventually(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < POLL_ATTEMPTS_MAX && !(await check()); i++) await new Promise((r) => setTimeout(r, POLL_INTERVAL_MS))
  assert.ok(await check(), what)
}
