// The audit chain through the admin API and the CLI: every operator action and every movement of money
// outside a transfer is one entry, concurrent operations keep one unbroken chain, and a tampered row is
// found and named by GET /audit/verify and `agora audit verify` (exit 1).
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { generateKeyPairSync, randomUUID } from 'node:crypto'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import { createTestDb, type TestDb } from '../../test/support/db.ts'
import { testAdminApp } from '../../test/support/apps.ts'
import { call, onboardDfsp, setupHub } from '../../test/support/fixtures.ts'
import { commitTransfer } from '../../test/support/committed-transfers.ts'
import { assertLedgerInvariants } from '../../ledger/invariants/ledger-invariants.ts'

const run = promisify(execFile)
const bin = fileURLToPath(new URL('../../bin/agora.mjs', import.meta.url))
let testDb: TestDb
let admin: FastifyInstance
let accounts: { a: number; b: number }

before(async () => {
  testDb = await createTestDb('auditapi')
  admin = await testAdminApp(testDb.db)
  await setupHub(admin, 'USD')
  accounts = {
    a: (await onboardDfsp(admin, { name: 'bank-a', ndc: '10000', fundsIn: '5000' })).settlementAccountId,
    b: (await onboardDfsp(admin, { name: 'wallet-b', ndc: '10000', fundsIn: '5000' })).settlementAccountId,
  }
})
after(async () => {
  await admin.close()
  await testDb.drop()
})

/** A settlement as the admin API answers it, as far as these tests read it. */
interface SettlementBody { id: number; participants: { id: number; accounts: { id: number }[] }[] }

const ok = async (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) => {
  const r = await call(admin, method, url, payload)
  assert.ok(r.status < 300, `${method} ${url}: ${r.status} ${JSON.stringify(r.body)}`)
  return r.body
}
const actions = async (afterSeq: number) => testDb.db('audit_log').where('seq', '>', afterSeq).orderBy('seq').pluck('action')
const headSeq = async () => Number((await ok('GET', '/audit/head')).seq)

test('onboarding, funds in and out, limits, endpoints, keys, oracles, activation and every settlement step are each one entry in the chain', async () => {
  const start = await headSeq()
  const fundsOut = randomUUID()
  const aborted = randomUUID()
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } })
  await ok('POST', `/participants/bank-a/accounts/${accounts.a}`, { transferId: randomUUID(), action: 'recordFundsIn', reason: 'top up', amount: { amount: '100', currency: 'USD' } })
  await ok('POST', `/participants/bank-a/accounts/${accounts.a}`, { transferId: fundsOut, action: 'recordFundsOutPrepareReserve', reason: 'out', amount: { amount: '50', currency: 'USD' } })
  await ok('PUT', `/participants/bank-a/accounts/${accounts.a}/transfers/${fundsOut}`, { action: 'recordFundsOutCommit', reason: 'sent' })
  await ok('POST', `/participants/bank-a/accounts/${accounts.a}`, { transferId: aborted, action: 'recordFundsOutPrepareReserve', reason: 'out', amount: { amount: '20', currency: 'USD' } })
  await ok('PUT', `/participants/bank-a/accounts/${accounts.a}/transfers/${aborted}`, { action: 'recordFundsOutAbort', reason: 'bank refused' })
  await ok('PUT', '/participants/bank-a/limits', { currency: 'USD', limit: { type: 'NET_DEBIT_CAP', value: 8000 } })
  await ok('POST', '/participants/bank-a/endpoints', { type: 'FSPIOP_CALLBACK_URL_TRANSFER_POST', value: 'http://127.0.0.1:4000/transfers' })
  await ok('PUT', '/participants/bank-a/jwsKey', { publicKey })
  await ok('PUT', `/participants/wallet-b/accounts/${accounts.b}`, { isActive: false })
  await ok('PUT', `/participants/wallet-b/accounts/${accounts.b}`, { isActive: true })
  await ok('PUT', '/participants/wallet-b', { isActive: false })
  await ok('PUT', '/participants/wallet-b', { isActive: true })
  const oracle = await admin.inject({ method: 'POST', url: '/oracles', headers: { accept: 'application/json', date: new Date().toUTCString() }, payload: { oracleIdType: 'MSISDN', endpoint: { value: 'http://127.0.0.1:4100', endpointType: 'URL' }, isDefault: true } })
  assert.equal(oracle.statusCode, 201, oracle.body)
  const { windowId } = await commitTransfer(testDb.db, 'bank-a', 'wallet-b', '10')
  await ok('POST', `/v2/settlementWindows/${windowId}`, { state: 'CLOSED', reason: 'day end' })
  const settlement = await ok('POST', '/v2/settlements', { settlementModel: 'DEFERRED_NET_USD', reason: 'daily', settlementWindows: [{ id: Number(windowId) }] })
  for (const state of ['PS_TRANSFERS_RECORDED', 'PS_TRANSFERS_RESERVED', 'PS_TRANSFERS_COMMITTED', 'SETTLED']) {
    const participants = (settlement as SettlementBody).participants.map((p) => ({ id: p.id, accounts: p.accounts.map((a) => ({ id: a.id, state, reason: state })) }))
    await ok('PUT', `/v2/settlements/${settlement.id}`, { participants })
  }
  assert.deepEqual(await actions(start), [
    'funds.recordFundsIn', 'funds.recordFundsOutPrepareReserve', 'funds.recordFundsOutCommit', 'funds.recordFundsOutPrepareReserve', 'funds.recordFundsOutAbort',
    'participant.limits.update', 'participant.endpoint.set', 'participant.jwsKey.set', 'account.update', 'account.update', 'participant.update', 'participant.update',
    'oracle.create', 'settlementWindow.close', 'settlement.create', 'settlement.update', 'settlement.update', 'settlement.update', 'settlement.update',
  ])
  const report = await ok('GET', '/audit/verify')
  assert.equal(report.intact, true, JSON.stringify(report.problems))
  await assertLedgerInvariants(testDb.db)
})

test('concurrent audited operations keep one unbroken chain, one entry per change', async () => {
  const start = await headSeq()
  const PARALLEL_FUNDS_IN = 24
  const PARALLEL_LIMIT_CHANGES = 8
  const work = [
    ...Array.from({ length: PARALLEL_FUNDS_IN }, (_, i) => () => call(admin, 'POST', `/participants/${i % 2 ? 'bank-a' : 'wallet-b'}/accounts/${i % 2 ? accounts.a : accounts.b}`, {
      transferId: randomUUID(), action: 'recordFundsIn', reason: `parallel ${i}`, amount: { amount: '1', currency: 'USD' },
    })),
    ...Array.from({ length: PARALLEL_LIMIT_CHANGES }, (_, i) => () => call(admin, 'PUT', `/participants/${i % 2 ? 'bank-a' : 'wallet-b'}/limits`, { currency: 'USD', limit: { type: 'NET_DEBIT_CAP', value: 9000 + i } })),
  ]
  const results = await Promise.all(work.map((w) => w()))
  // On a loaded machine some wait longer than the pool's acquire timeout and are refused whole (503, 2003):
  // they left nothing in the chain (checked below) and are sent again, one at a time, until each is done.
  assert.deepEqual(results.map((r) => r.status).filter((s) => s >= 300 && s !== 503), [])
  for (const [i, r] of results.entries()) {
    let status = r.status
    while (status === 503) status = (await work[i]!()).status
    assert.ok(status < 300, `operation ${i} answered ${status}`)
  }
  const seqs = (await testDb.db('audit_log').where('seq', '>', start).orderBy('seq').pluck('seq')).map(Number)
  assert.deepEqual(seqs, Array.from({ length: PARALLEL_FUNDS_IN + PARALLEL_LIMIT_CHANGES }, (_, i) => start + i + 1))
  const report = await ok('GET', '/audit/verify')
  assert.equal(report.intact, true, JSON.stringify(report.problems))
  assert.equal(report.head.seq, String(start + seqs.length))
  await assertLedgerInvariants(testDb.db)
})

test('GET /audit pages the log newest first with its hashes', async () => {
  const head = await ok('GET', '/audit/head')
  const first = await ok('GET', '/audit?limit=3')
  assert.deepEqual((first.entries as { seq: string }[]).map((e) => Number(e.seq)), [Number(head.seq), Number(head.seq) - 1, Number(head.seq) - 2])
  assert.equal(first.entries[0].hash, head.hash)
  assert.equal(first.entries[1].hash, first.entries[0].prevHash)
  const second = await ok('GET', `/audit?limit=3&beforeSeq=${first.nextBeforeSeq}`)
  assert.equal(Number(second.entries[0].seq), Number(head.seq) - 3)
  assert.equal((await call(admin, 'GET', '/audit?limit=100000')).status, 400)
})

const agora = (...args: string[]) => run(process.execPath, [bin, ...args], { env: { ...process.env, AGORA_DB_NAME: testDb.settings.database } })

test('agora audit head prints the anchor and agora audit verify passes on an intact chain', async () => {
  const head = JSON.parse((await agora('audit', 'head')).stdout)
  assert.equal(head.anchor, `${head.seq}:${head.hash}`)
  const verified = JSON.parse((await agora('audit', 'verify', '--anchor', head.anchor)).stdout)
  assert.equal(verified.intact, true)
})

test('an edited audit row is named by GET /audit/verify and fails agora audit verify with exit code 1', async () => {
  const target = await testDb.db('audit_log').where({ action: 'funds.recordFundsOutCommit' }).first()
  await testDb.db('audit_log').where({ id: target.id }).update({ actor: 'nobody' })
  const report = await ok('GET', '/audit/verify')
  assert.equal(report.intact, false)
  assert.deepEqual((report.problems as { kind: string; seq: string; id: string }[]).map((p) => [p.kind, p.seq, p.id]), [['edited', String(target.seq), String(target.id)]])
  assert.equal(report.intactThroughSeq, String(Number(target.seq) - 1))
  await assert.rejects(agora('audit', 'verify'), (error: unknown) => {
    assert.ok(error instanceof Error && 'code' in error && 'stderr' in error)
    assert.equal(error.code, 1)
    assert.match(String(error.stderr), new RegExp(`broken at seq ${target.seq} .*seq ${target.seq} \\(id ${target.id}\\) was edited`))
    return true
  })
  await testDb.db('audit_log').where({ id: target.id }).update({ actor: target.actor })
  assert.equal((await ok('GET', '/audit/verify')).intact, true, 'restored')
})
