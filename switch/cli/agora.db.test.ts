// The operator CLI, run as a real command against a listening admin API on the real MariaDB.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { fileURLToPath } from 'node:url'
import type { FastifyInstance } from 'fastify'
import { createTestDb, type TestDb } from '../../test/support/db.ts'
import { testAdminApp } from '../../test/support/apps.ts'
import { assertLedgerInvariants } from '../../ledger/invariants/ledger-invariants.ts'
import { commitTransfer } from '../../test/support/committed-transfers.ts'

const run = promisify(execFile)
const bin = fileURLToPath(new URL('../../bin/agora.mjs', import.meta.url))
let testDb: TestDb
let admin: FastifyInstance
let adminUrl: string

before(async () => {
  testDb = await createTestDb('cli')
  admin = await testAdminApp(testDb.db)
  await admin.listen({ host: '127.0.0.1', port: 0 })
  adminUrl = `http://127.0.0.1:${(admin.server.address() as { port: number }).port}`
})
after(async () => {
  await admin.close()
  await testDb.drop()
})

const agora = async (...args: string[]) => (await run(process.execPath, [bin, ...args, '--admin', adminUrl, '--operator', 'cli-test'])).stdout

test('demo-setup creates a hub and two funded DFSPs, and is safe to run again', async () => {
  const first = await agora('demo-setup', '--dfsp-url', 'http://127.0.0.1:4000', '--funds', '5000')
  assert.match(first, /payerfsp: USD accounts, NDC 100000, funds 5000/)
  const second = await agora('demo-setup')
  assert.match(second, /payerfsp exists, kept as it is/)
  const participants = JSON.parse(await agora('participants', 'list')) as { name: string }[]
  assert.deepEqual(participants.map((p) => p.name).sort(), ['Hub', 'payeefsp', 'payerfsp'])
  const endpoints = JSON.parse(await agora('endpoints', 'list', 'payeefsp')) as { type: string; value: string }[]
  assert.ok(endpoints.some((e) => e.value === 'http://127.0.0.1:4000/payeefsp/transfers/{{transferId}}'))
  await assertLedgerInvariants(testDb.db)
})

test('endpoints base points every FSPIOP callback endpoint of a DFSP at one base URL (a connector)', async () => {
  await agora('endpoints', 'base', 'payeefsp', '--value', 'http://127.0.0.1:4200/')
  const endpoints = JSON.parse(await agora('endpoints', 'list', 'payeefsp')) as { type: string; value: string }[]
  assert.ok(endpoints.some((e) => e.type === 'FSPIOP_CALLBACK_URL_TRANSFER_PUT' && e.value === 'http://127.0.0.1:4200/transfers/{{transferId}}'))
  assert.ok(endpoints.some((e) => e.type === 'FSPIOP_CALLBACK_URL_QUOTES' && e.value === 'http://127.0.0.1:4200'))
  assert.ok(!endpoints.some((e) => e.value.includes('4000/payeefsp')), 'the earlier endpoints are replaced')
})

test('funds out and limits through the CLI move the ledger, audited by operator name', async () => {
  await agora('funds', 'out', 'payerfsp', '--currency', 'USD', '--amount', '1000')
  const accounts = JSON.parse(await agora('accounts', 'payerfsp')) as { ledgerAccountType: string; value: number }[]
  assert.equal(accounts.find((a) => a.ledgerAccountType === 'SETTLEMENT')!.value, -4000)
  await agora('limits', 'set', 'payerfsp', '--currency', 'USD', '--ndc', '2500')
  const limits = JSON.parse(await agora('limits', 'get', 'payerfsp'))
  assert.equal(limits[0].limit.value, 2500)
  const audit = await testDb.db('audit_log').where({ actor: 'cli-test', action: 'funds.recordFundsOutCommit' })
  assert.equal(audit.length, 1)
  await assertLedgerInvariants(testDb.db)
})

test('an operator mistake is reported with the Mojaloop error, exit code 1', async () => {
  await assert.rejects(agora('funds', 'out', 'payerfsp', '--currency', 'USD', '--amount', '999999'), (error: unknown) => {
    assert.ok(error instanceof Error && 'code' in error && 'stderr' in error)
    assert.equal(error.code, 1)
    assert.match(String(error.stderr), /4001/)
    return true
  })
})

test('settlement from the CLI: close the window, settle it, advance it to SETTLED', async () => {
  await commitTransfer(testDb.db, 'payerfsp', 'payeefsp', '10')
  const closed = JSON.parse(await agora('settlement', 'close-window', '--reason', 'cli test'))
  assert.equal(closed.state, 'OPEN')
  const windows = JSON.parse(await agora('settlement', 'windows', '--state', 'CLOSED')) as { settlementWindowId: number }[]
  const created = JSON.parse(await agora('settlement', 'create', '--windows', String(windows[0]!.settlementWindowId)))
  assert.equal(created.state, 'PENDING_SETTLEMENT')
  for (const state of ['PS_TRANSFERS_RECORDED', 'PS_TRANSFERS_RESERVED', 'PS_TRANSFERS_COMMITTED', 'SETTLED']) {
    assert.equal(JSON.parse(await agora('settlement', 'advance', String(created.id), '--to', state)).state, state)
  }
  assert.match(await agora('hash-password', 'x'), /^scrypt\$/)
  await assertLedgerInvariants(testDb.db)
})

test('`npx agora --help`, as the README tells a new user, prints the usage on the project Node', async () => {
  const root = fileURLToPath(new URL('../..', import.meta.url))
  const npx = await run('npx', ['--no-install', 'agora', '--help'], { cwd: root })
  assert.match(npx.stdout, /^usage: agora <command>/)
  assert.match(npx.stdout, /demo-setup/)
  const version = await run('npx', ['--no-install', 'node', '--version'], { cwd: root })
  assert.match(version.stdout, /^v24\./)
})
