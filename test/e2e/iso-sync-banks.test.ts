// A bank on the synchronous API and a bank speaking ISO 20022 pay each other through the real switch:
// POST /payments to an ISO bank's customer (its core gets a pacs.008 and a camt.054), and a pacs.008 to
// the synchronous bank's customer (its core's backend API takes the credit). Both cores' books, both
// connectors' final states, the switch's positions and the ledger's invariants agree.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes, randomUUID } from 'node:crypto'
import { startSwitch, type SwitchHarness } from '../support/switch-harness.ts'
import { call as admin, onboardDfsp, setupHub } from '../support/fixtures.ts'
import { assertSwitchInvariantsAfterEach } from '../support/switch-invariants.ts'
import { dropIsoDatabases, startIsoBank, type IsoBank } from '../support/iso-banks.ts'
import { SimulatedCore, call } from '../support/sync-core.ts'
import { startSyncConnector, type SyncConnector } from '../../adapters/sync-api/sync-connector.ts'
import { loadConfig } from '../../switch/config/config.ts'
import { openDb } from '../../ledger/store/db.ts'
import { silentLogger } from '../../switch/observability/logger.ts'
import { readDocument } from '../../adapters/iso20022-bank/iso-xml.ts'
import { readPacs008 } from '../../adapters/iso20022-bank/pacs008.ts'
import { Decimal } from '../../ledger/domain/money.ts'

const POLL_ATTEMPTS_MAX = 200
const POLL_INTERVAL_MS = 50
const SYNC_CUSTOMER = '255733500001'
const ISO_CUSTOMER = '255744600002'

let sw: SwitchHarness
let iso: IsoBank
let syncCore: SimulatedCore
let sync: SyncConnector
const syncDatabase = `agora_connector_syncmix_${randomBytes(3).toString('hex')}`

async function eventually(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < POLL_ATTEMPTS_MAX && !(await check()); i++) await new Promise((r) => setTimeout(r, POLL_INTERVAL_MS))
  assert.ok(await check(), what)
}
const position = async (name: string) => new Decimal((await admin(sw.admin, 'GET', `/participants/${name}/positions?currency=USD`)).body.value)
const stateAtSwitch = async (id: string) => (await sw.testDb.db('transfer').where({ id }).first())?.state

before(async () => {
  sw = await startSwitch('isosync')
  await setupHub(sw.admin, 'USD')
  iso = await startIsoBank(sw, 'mixiso', [{ idType: 'MSISDN', idValue: ISO_CUSTOMER, name: 'Iso Customer', balance: '500' }])
  syncCore = new SimulatedCore([{ idType: 'MSISDN', idValue: SYNC_CUSTOMER, displayName: 'Sync Customer', balance: '500' }])
  await syncCore.start()
  sync = await startSyncConnector({
    connector: {
      fspId: 'mixsync', switchUrl: sw.apiUrl, fspiopVersion: '1.1', fspiop: { host: '127.0.0.1', port: 0 }, db: { ...loadConfig().db, database: syncDatabase, poolMax: 5 },
      ilpSecret: 'mixsync-secret', ilpAddress: 'g.agora.mixsync', autoAcceptParty: true, autoAcceptQuote: true,
    },
    api: { host: '127.0.0.1', port: 0 }, backendUrl: syncCore.backendUrl, logLevel: 'silent',
  }, silentLogger())
  await onboardDfsp(sw.admin, { name: 'mixsync', ndc: '1000', fundsIn: '100000', endpointBase: sync.connector.fspiopUrl })
  assert.equal((await call(sync.apiUrl, 'POST', `/parties/MSISDN/${SYNC_CUSTOMER}`)).status, 200)
})
after(async () => {
  await iso?.connector.stop()
  await iso?.core.close()
  await sync?.stop()
  await syncCore?.close()
  await dropIsoDatabases()
  const db = openDb({ ...loadConfig().db, database: '' })
  await db.raw('DROP DATABASE IF EXISTS ??', [syncDatabase])
  await db.destroy()
  await sw.stop()
})
assertSwitchInvariantsAfterEach(() => sw)

test('a synchronous-API bank pays an ISO bank: COMPLETED for the payer core, a pacs.008 and a camt.054 CRDT for the ISO core', async () => {
  const transferId = randomUUID()
  const answer = await syncCore.pay(sync.apiUrl, { transferId, from: SYNC_CUSTOMER, to: ISO_CUSTOMER, amount: '40.5', note: 'rent' })
  assert.equal(answer.status, 200, JSON.stringify(answer.body))
  assert.equal(answer.body.currentState, 'COMPLETED')
  assert.equal(answer.body.to.displayName, 'Iso Customer', 'the name the ISO core answered acmt.023 with')
  const credit = readPacs008(readDocument(iso.core.received.find((m) => m.type === 'pacs.008')!.xml))
  assert.ok(credit.ok)
  assert.deepEqual([credit.transfer.uetr, credit.transfer.txId, credit.transfer.amount, credit.transfer.debtor.name, credit.transfer.remittance], [transferId, transferId.replace(/-/g, ''), '40.50', SYNC_CUSTOMER, 'rent'], 'a payer without a name is named by its id (Dbtr/Nm)')
  await eventually(() => iso.core.balance(ISO_CUSTOMER) === '540.5', 'the ISO core books the credit on its camt.054')
  assert.equal(syncCore.accounts.get(SYNC_CUSTOMER)!.balance.toFixed(), '459.5')
  assert.equal(await stateAtSwitch(transferId), 'COMMITTED')
  // The connector marks the transfer final once its core has taken the camt.054, just after the core books it.
  const inboundState = async () => (await iso.connector.connector.db('inbound_messages').where({ kind: 'transfer', message_id: transferId }).first())?.state
  await eventually(async () => (await inboundState()) === 'COMMITTED', 'the payee connector records the transfer COMMITTED')
})

test('and back: the ISO bank pays the synchronous bank\'s customer with a pacs.008: ACSC, the payee core credited; books and positions agree', async () => {
  const uetr = randomUUID()
  const positions = [await position('mixiso'), await position('mixsync')]
  const answer = await iso.core.pay(iso.connector.apiUrl, iso.core.creditTransfer({ msgId: 'MIX-1', uetr, from: ISO_CUSTOMER, to: SYNC_CUSTOMER, amount: '20.00' }))
  assert.equal(answer.status, 'ACSC', answer.info)
  assert.equal(iso.core.balance(ISO_CUSTOMER), '520.5')
  await eventually(() => syncCore.accounts.get(SYNC_CUSTOMER)!.balance.toFixed() === '479.5', 'the synchronous core books the credit')
  assert.deepEqual(syncCore.creditRequests.filter((id) => id === uetr), [uetr])
  assert.equal(await stateAtSwitch(uetr), 'COMMITTED')
  assert.ok((await position('mixiso')).equals(positions[0]!.plus('20')))
  assert.ok((await position('mixsync')).equals(positions[1]!.minus('20')))
  assert.equal(iso.core.pendingCount + syncCore.pendingCount, 0)
  assert.ok(iso.core.total().plus(syncCore.total()).equals('1000'), 'money is neither made nor lost across both cores')
})
