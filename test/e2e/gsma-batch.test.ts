// A GSMA "Bulk Disbursement" through the real switch: an MMP's platform POSTs a batch to its GSMA connector
// (GSMA Mobile Money API v1.2, POST /batchtransactions); the connector hands it to the switch's disbursement
// API; the switch resolves each credit party in its oracle and pays in FSPIOP bulk quotes and bulk transfers
// (Kafka, the position handler, MariaDB) to the payee DFSPs: wallets at another MMP behind its own GSMA
// connector (the connector core answers bulk as payee, each credit posted to that MMP's API), customers of
// a bank behind a synchronous-API connector (the same core, each credit posted to the bank's core) and
// customers of a reference DFSP. The test names give the behaviour they check.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { startSwitch, type SwitchHarness } from '../support/switch-harness.ts'
import { call as admin, onboardDfsp, setupHub } from '../support/fixtures.ts'
import { assertSwitchInvariants } from '../support/switch-invariants.ts'
import { GsmaNetwork, eventually } from '../support/gsma-network.ts'
import { send, type Heard } from '../support/simulated-mmp.ts'
import { ReferenceDfsp } from '../../adapters/reference-dfsp/reference-dfsp.ts'
import { startDfspHost, type DfspHost } from '../../adapters/reference-dfsp/dfsp-host.ts'
import { Decimal, fromUnits } from '../../ledger/domain/money.ts'
import { startSyncConnector, type SyncConnector } from '../../adapters/sync-api/sync-connector.ts'
import { SimulatedCore } from '../support/sync-core.ts'
import { connectorDbSettings, dropDatabase, silentLogger } from '../support/connector-env.ts'
import { batchOf } from '../../adapters/gsma-mmp/gsma-batch-requests.ts'
import { FSPIOP_PARTY_TYPE_OF_KEY } from '../../adapters/gsma-mmp/gsma-identifiers.ts'
import { parseGsmaSubmission } from '../../switch/disbursements/gsma-format.ts'

const PAYER_MMP = 'gbatchpay'
const WALLET_MMP = 'gbatchwal'
const BANK = 'gbatchref'
const SYNC_BANK = 'gbatchsync'
const WALLETS = 120
const CUSTOMERS = 40
const SYNC_CUSTOMERS = 20
const wallet = (i: number) => `2557300${String(i).padStart(5, '0')}`
const customer = (i: number) => `2556400${String(i).padStart(5, '0')}`
const syncCustomer = (i: number) => `2555500${String(i).padStart(5, '0')}`
const syncDb = `agora_connector_gbatchsync_${randomUUID().slice(0, 6)}`
/** Registered with the switch for the wallet MMP, but its platform has no such wallet. */
const GONE_WALLET = '255739999999'
const UNKNOWN = ['255700000901', '255700000902']
/** The payer MMP's net debit cap: one transaction over it fails at the position check. */
const PAYER_NDC = '1000'
const amountOf = (i: number) => `${1 + (i % 4)}.50`

let sw: SwitchHarness
let net: GsmaNetwork
let host: DfspHost
let bank: ReferenceDfsp
let core: SimulatedCore
let syncBank: SyncConnector

const position = async (name: string) => new Decimal((await admin(sw.admin, 'GET', `/participants/${name}/positions?currency=USD`)).body.value)

before(async () => {
  sw = await startSwitch('gsmabatch')
  await setupHub(sw.admin, 'USD')
  net = new GsmaNetwork(sw)
  await net.mmp(PAYER_MMP, { '255711000001': '0' }, PAYER_NDC)
  await net.mmp(WALLET_MMP, Object.fromEntries(Array.from({ length: WALLETS }, (_, i) => [wallet(i), '0'])), '100000')
  bank = new ReferenceDfsp({
    name: BANK, secret: 'gbatch-bank-secret', switchUrl: sw.apiUrl,
    customers: Array.from({ length: CUSTOMERS }, (_, i) => ({ idType: 'MSISDN', id: customer(i), name: `c${i}`, balance: '0' })),
  })
  host = await startDfspHost([bank])
  await onboardDfsp(sw.admin, { name: BANK, ndc: '100000', fundsIn: '100000', endpointBase: host.endpointBase(BANK) })
  await sw.pipeline.oracle.registerAll(Array.from({ length: CUSTOMERS }, (_, i) => ({ type: 'MSISDN', id: customer(i) })), BANK)
  await sw.pipeline.oracle.registerAll([{ type: 'MSISDN', id: GONE_WALLET }], WALLET_MMP)
  core = new SimulatedCore(Array.from({ length: SYNC_CUSTOMERS }, (_, i) => ({ idType: 'MSISDN', idValue: syncCustomer(i), displayName: `s${i}`, balance: '0' })))
  await core.start()
  syncBank = await startSyncConnector({
    connector: {
      fspId: SYNC_BANK, switchUrl: sw.apiUrl, fspiopVersion: '1.1', fspiop: { host: '127.0.0.1', port: 0 },
      db: connectorDbSettings(syncDb), ilpSecret: 'gbatchsync-ilp-secret', autoAcceptParty: true, autoAcceptQuote: true,
    },
    api: { host: '127.0.0.1', port: 0 }, backendUrl: core.backendUrl, logLevel: 'silent',
  }, silentLogger())
  await onboardDfsp(sw.admin, { name: SYNC_BANK, ndc: '100000', fundsIn: '100000', endpointBase: syncBank.connector.fspiopUrl })
  await sw.pipeline.oracle.registerAll(Array.from({ length: SYNC_CUSTOMERS }, (_, i) => ({ type: 'MSISDN', id: syncCustomer(i) })), SYNC_BANK)
})
after(async () => {
  await net?.close()
  await syncBank?.stop()
  await core?.close()
  await dropDatabase(syncDb)
  await bank?.close()
  await host?.close()
  await sw?.stop()
})

interface Line { amount: string; currency: string; creditParty: { key: string; value: string }[]; requestingOrganisationTransactionReference: string; type: string }
const line = (reference: string, msisdn: string, amount: string): Line => ({
  amount, currency: 'USD', type: 'disbursement', creditParty: [{ key: 'msisdn', value: msisdn }], requestingOrganisationTransactionReference: reference,
})

function postBatch(body: unknown, cid = randomUUID()): Promise<Heard & { cid: string }> {
  return send(net.api(PAYER_MMP), 'POST', '/batchtransactions', body, { 'x-correlationid': cid, 'x-callback-url': net.mmps[PAYER_MMP]!.callbackUrl(cid) }).then((h) => ({ ...h, cid }))
}

test('a batch of 184 transactions to wallets at another MMP and customers of two banks: every payable one is paid once, the unknown, gone and over-limit ones are rejected with their reasons, the callback and the reads say so, and books, positions and the ledger agree', async () => {
  const toWallets = Array.from({ length: WALLETS }, (_, i) => line(`w-${i}`, wallet(i), amountOf(i)))
  const toCustomers = Array.from({ length: CUSTOMERS }, (_, i) => line(`c-${i}`, customer(i), amountOf(i)))
  const toSyncCustomers = Array.from({ length: SYNC_CUSTOMERS }, (_, i) => line(`s-${i}`, syncCustomer(i), amountOf(i + 1)))
  const rejected = [line('unknown-0', UNKNOWN[0]!, '2'), line('unknown-1', UNKNOWN[1]!, '2'), line('gone', GONE_WALLET, '3'), line('over-limit', wallet(0), '5000')]
  const transactions = [...toWallets.slice(0, 60), rejected[0]!, ...toCustomers, rejected[2]!, ...toSyncCustomers, ...toWallets.slice(60), rejected[1]!, rejected[3]!]
  const sumOf = (lines: Line[]) => lines.reduce((s, l) => s.plus(l.amount), new Decimal(0))
  const positionsBefore = [await position(PAYER_MMP), await position(WALLET_MMP), await position(BANK), await position(SYNC_BANK)]

  const started_ms = Date.now()
  const accepted = await postBatch({ batchTitle: 'December stipends', batchDescription: 'G2P through GSMA', transactions })
  assert.equal(accepted.status, 202, JSON.stringify(accepted.body))
  assert.deepEqual([accepted.body.status, accepted.body.notificationMethod], ['pending', 'callback'])
  const batchId = accepted.body.objectReference!

  const callback = await net.callbackFor(PAYER_MMP, accepted.cid)
  assert.equal(callback.headers['x-correlationid'], accepted.cid, 'the callback carries the original X-CorrelationID')
  console.log(`gsma batch: ${transactions.length} transactions through the switch, callback after ${Date.now() - started_ms} ms`)
  const completedObject = callback.body as Record<string, unknown>
  assert.deepEqual([completedObject.batchId, completedObject.batchStatus, completedObject.completedCount, completedObject.rejectionCount], [batchId, 'completed', WALLETS + CUSTOMERS + SYNC_CUSTOMERS, 4], JSON.stringify(completedObject))

  const read = await send(net.api(PAYER_MMP), 'GET', `/batchtransactions/${batchId}`)
  const batch = read.body as Record<string, unknown>
  assert.equal(read.status, 200)
  assert.deepEqual([batch.batchStatus, batch.processingFlag, batch.completedCount, batch.rejectionCount, batch.parsingSuccessCount, batch.batchTitle],
    ['completed', false, WALLETS + CUSTOMERS + SYNC_CUSTOMERS, 4, transactions.length - UNKNOWN.length, 'December stipends'])
  const state = await send(net.api(PAYER_MMP), 'GET', `/requeststates/${accepted.body.serverCorrelationId}`)
  assert.deepEqual([state.body.status, state.body.objectReference], ['completed', batchId])

  const completions = (await send(net.api(PAYER_MMP), 'GET', `/batchtransactions/${batchId}/completions`)).body as unknown as Record<string, unknown>[]
  const paidLines = [...toWallets, ...toCustomers, ...toSyncCustomers]
  assert.equal(completions.length, paidLines.length)
  const completedBy = new Map(completions.map((c) => [c.requestingOrganisationTransactionReference, c]))
  for (const l of paidLines) {
    const c = completedBy.get(l.requestingOrganisationTransactionReference)
    assert.ok(c, `${l.requestingOrganisationTransactionReference} completed`)
    assert.ok(new Decimal(String(c.amount)).equals(l.amount), `${l.requestingOrganisationTransactionReference} amount`)
    assert.deepEqual(c.creditParty, l.creditParty)
  }
  const rejections = (await send(net.api(PAYER_MMP), 'GET', `/batchtransactions/${batchId}/rejections`)).body as unknown as Record<string, unknown>[]
  const reasons = Object.fromEntries(rejections.map((r) => [r.requestingOrganisationTransactionReference, `${r.errorCategory}/${r.errorCode}`]))
  assert.deepEqual(reasons, {
    'unknown-0': 'identification/identifierError', 'unknown-1': 'identification/identifierError',
    gone: 'identification/identifierError', 'over-limit': 'businessRule/insufficientFunds',
  }, JSON.stringify(rejections))

  // The payees' books: each wallet and each customer credited exactly its amount, nothing for the rejected.
  const walletMmp = net.mmps[WALLET_MMP]!
  for (const [i, l] of toWallets.entries()) assert.ok(new Decimal(walletMmp.balance(wallet(i))).equals(l.amount), `wallet ${i}`)
  assert.ok(walletMmp.total().equals(sumOf(toWallets)), 'the wallet MMP booked exactly the paid amount')
  const credited = walletMmp.creditRequests.map((c) => c.body.requestingOrganisationTransactionReference)
  assert.equal(new Set(credited).size, WALLETS + 1, 'one credit per transfer forwarded to the wallet MMP (the gone wallet\'s refused)')
  assert.equal(credited.length, WALLETS + 1, 'no credit posted twice')
  await eventually(() => [...bank.books.accounts.values()].reduce((s, a) => s + a.balance, 0n) > 0n && bank.books.finals.size >= CUSTOMERS, 'the bank booked its credits')
  for (const [i, l] of toCustomers.entries()) assert.ok(fromUnits(bank.books.accounts.get(customer(i))!.balance).equals(l.amount), `customer ${i}`)
  // The synchronous-API bank's core: each credit taken once and booked on the switch's COMMITTED.
  await eventually(() => core.total().equals(sumOf(toSyncCustomers)), 'the sync bank\'s core booked its credits')
  for (const [i, l] of toSyncCustomers.entries()) assert.ok(core.accounts.get(syncCustomer(i))!.balance.equals(l.amount), `sync customer ${i}`)
  assert.equal(core.creditRequests.length, SYNC_CUSTOMERS, 'one credit per item at the bank core')

  // The payee connector: every credit it reserved is final COMMITTED, the one its MMP refused is REJECTED.
  const payeeDb = net.connectors[WALLET_MMP]!.connector.db
  await eventually(async () => Number((await payeeDb('inbound_messages').where({ kind: 'transfer', state: 'COMMITTED' }).count({ n: '*' }))[0]!.n) === WALLETS, 'the wallet connector hears every item committed')
  assert.equal(Number((await payeeDb('inbound_messages').where({ kind: 'transfer', state: 'REJECTED' }).count({ n: '*' }))[0]!.n), 1)
  assert.equal(Number((await payeeDb('gsma_payee_credits').where({ state: 'COMMITTED' }).count({ n: '*' }))[0]!.n), WALLETS)

  // The switch: the payer's position rose by what was paid, each payee's fell by what it received.
  const positionsAfter = [await position(PAYER_MMP), await position(WALLET_MMP), await position(BANK), await position(SYNC_BANK)]
  assert.ok(positionsAfter[0]!.minus(positionsBefore[0]!).equals(sumOf(paidLines)), `payer position moved ${positionsAfter[0]!.minus(positionsBefore[0]!)}`)
  assert.ok(positionsBefore[1]!.minus(positionsAfter[1]!).equals(sumOf(toWallets)))
  assert.ok(positionsBefore[2]!.minus(positionsAfter[2]!).equals(sumOf(toCustomers)))
  assert.ok(positionsBefore[3]!.minus(positionsAfter[3]!).equals(sumOf(toSyncCustomers)))
  await assertSwitchInvariants(sw)

  await new Promise((r) => setTimeout(r, 300))
  assert.equal(net.mmps[PAYER_MMP]!.callbacks.get(accepted.cid)!.length, 1, 'the batch callback is delivered once')
})

test('what the switch would refuse is refused by the connector up front in the GSMA format, and nothing reaches the switch: a batch mixing currencies, a credit party the scheme cannot look up', async () => {
  const before = Number((await sw.testDb.db('disbursement').count({ n: '*' }))[0]!.n)
  const mixed = await postBatch({ transactions: [line('m-1', wallet(1), '1'), { ...line('m-2', wallet(2), '1'), currency: 'EUR' }] })
  assert.deepEqual([mixed.status, mixed.body.errorCategory, mixed.body.errorCode], [400, 'validation', 'currencyNotSupported'], JSON.stringify(mixed.body))
  assert.deepEqual(mixed.body.errorParameters?.[0], { key: 'transactionIndex', value: '1' })
  const unroutable = await postBatch({ transactions: [line('u-1', wallet(1), '1'), { ...line('u-2', wallet(2), '1'), creditParty: [{ key: 'walletid', value: 'w-2' }] }] })
  assert.deepEqual([unroutable.status, unroutable.body.errorCategory, unroutable.body.errorCode], [404, 'identification', 'identifierError'], JSON.stringify(unroutable.body))
  assert.equal(Number((await sw.testDb.db('disbursement').count({ n: '*' }))[0]!.n), before, 'no disbursement was created')
})

test('every batch the connector accepts, the switch\'s GSMA parser accepts too, with each creditParty the party the connector routes on', () => {
  const values: Record<string, string> = { msisdn: '+255 700 000001', emailaddress: 'a@b.example', accountid: 'acc-1', iban: 'TZ00BANK1', identityalias: 'ann', organisationid: 'org-1' }
  const transactions = Object.keys(FSPIOP_PARTY_TYPE_OF_KEY).map((key, i) => ({
    amount: '5', currency: 'USD', requestingOrganisationTransactionReference: `r-${i}`,
    // An identifier the scheme cannot look up first: the connector routes on the second.
    creditParty: [{ key: 'walletid', value: `w-${i}` }, { key, value: values[key]! }],
  }))
  const batch = batchOf({ transactions })
  const parsed = parseGsmaSubmission(JSON.stringify(batch), 'b-align')
  assert.ok(parsed.ok, JSON.stringify(!parsed.ok && parsed.refusal))
  assert.deepEqual(parsed.submission.beneficiaries.map((b) => [b.idType, b.idValue]), [
    ['MSISDN', '255700000001'], ['EMAIL', 'a@b.example'], ['ACCOUNT_ID', 'acc-1'], ['IBAN', 'TZ00BANK1'], ['ALIAS', 'ann'], ['BUSINESS', 'org-1'],
  ])
})
