// Synchronous-API connectors in a scheme that signs (the switch validates every DFSP message with a body
// and signs what it originates): each connector signs what it sends with its key and takes from the
// switch only messages signed by their FSPIOP-Source (the other bank, or the hub).
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { startSwitch, type SwitchHarness } from '../support/switch-harness.ts'
import { call as admin, onboardDfsp, setupHub } from '../support/fixtures.ts'
import { SimulatedCore, call } from '../support/sync-core.ts'
import { startSyncConnector, type SyncConnector } from '../../adapters/sync-api/sync-connector.ts'
import { loadConfig } from '../../switch/config/config.ts'
import { openDb } from '../../ledger/store/db.ts'
import { silentLogger } from '../../switch/observability/logger.ts'
import { assertLedgerInvariants } from '../../ledger/invariants/ledger-invariants.ts'
import { pipelineInvariants } from '../../switch/invariants/pipeline-invariants.ts'

const keyPair = () => generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } })
const keys = { Hub: keyPair(), jwsbanka: keyPair(), jwsbankb: keyPair() }
const databases: string[] = []
let sw: SwitchHarness
const cores: SimulatedCore[] = []
const connectors: Record<string, SyncConnector> = {}

before(async () => {
  const keyFile = path.join(mkdtempSync(path.join(tmpdir(), 'agora-connector-jws-')), 'hub.pem')
  writeFileSync(keyFile, keys.Hub.privateKey)
  sw = await startSwitch('syncjws', { config: { jws: { sign: true, validateInbound: true, hubPrivateKeyFile: keyFile, dateWindow_s: 300 } } })
  await setupHub(sw.admin, 'USD')
  for (const [fspId, customer, balance, other] of [['jwsbanka', '255711000011', '1000', 'jwsbankb'], ['jwsbankb', '255722000022', '0', 'jwsbanka']] as const) {
    const core = new SimulatedCore([{ idType: 'MSISDN', idValue: customer, displayName: `Customer ${customer}`, balance }])
    await core.start()
    cores.push(core)
    const database = `agora_connector_${fspId}_${randomBytes(3).toString('hex')}`
    databases.push(database)
    connectors[fspId] = await startSyncConnector({
      connector: {
        fspId, switchUrl: sw.apiUrl, fspiopVersion: '1.1', fspiop: { host: '127.0.0.1', port: 0 }, db: { ...loadConfig().db, database, poolMax: 5 },
        ilpSecret: `${fspId}-secret`, autoAcceptParty: true, autoAcceptQuote: true,
        jws: { privateKeyPem: keys[fspId].privateKey, verifyKeys: new Map([['Hub', keys.Hub.publicKey], [other, keys[other].publicKey]]) },
      },
      api: { host: '127.0.0.1', port: 0 }, backendUrl: core.backendUrl, logLevel: 'silent',
    }, silentLogger())
    await onboardDfsp(sw.admin, { name: fspId, ndc: '1000', fundsIn: '10000', endpointBase: connectors[fspId]!.connector.fspiopUrl })
    assert.equal((await admin(sw.admin, 'PUT', `/participants/${fspId}/jwsKey`, { publicKey: keys[fspId].publicKey })).status, 200)
    const registered = await call(connectors[fspId]!.apiUrl, 'POST', `/parties/MSISDN/${customer}`)
    assert.equal(registered.status, 200, JSON.stringify(registered.body))
  }
})
after(async () => {
  for (const c of Object.values(connectors)) await c.stop()
  for (const c of cores) await c.close()
  const db = openDb({ ...loadConfig().db, database: '' })
  for (const name of databases) await db.raw('DROP DATABASE IF EXISTS ??', [name])
  await db.destroy()
  await sw.stop()
})

test('signed end to end: a payment between connectors completes where the switch requires FSPIOP-Signature', async () => {
  const transferId = randomUUID()
  const answer = await cores[0]!.pay(connectors.jwsbanka!.apiUrl, { transferId, from: '255711000011', to: '255722000022', amount: '25' })
  assert.equal(answer.status, 200, JSON.stringify(answer.body))
  assert.equal(answer.body.currentState, 'COMPLETED')
  assert.equal(cores[0]!.accounts.get('255711000011')!.balance.toFixed(), '975')
  for (let i = 0; i < 100 && cores[1]!.accounts.get('255722000022')!.balance.toFixed() !== '25'; i++) await new Promise((r) => setTimeout(r, 50))
  assert.equal(cores[1]!.accounts.get('255722000022')!.balance.toFixed(), '25', 'the hub-signed PATCH reached the payee connector')
  await assertLedgerInvariants(sw.testDb.db, pipelineInvariants())
})
