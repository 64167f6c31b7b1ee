// An ISO 20022 bank's connector killed with SIGKILL mid-payment and started again finishes every payment
// exactly once. The connector runs as its own process (`agora connector iso20022 --config FILE`), the bank
// core drops pacs.008 files in its inbox (one of them twice, under two names); the payee bank's core is
// slow, so payments are in flight at the kill. After the restart every file has one final answer in the
// outbox; each ACSC is one committed transfer, each RJCT none; the payee core is credited once per
// committed payment; positions, books and the ledger's invariants agree.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes, randomUUID } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { request } from 'undici'
import { startSwitch, type SwitchHarness } from '../support/switch-harness.ts'
import { call as admin, onboardDfsp, setupHub } from '../support/fixtures.ts'
import { assertSwitchInvariants } from '../support/switch-invariants.ts'
import { dropIsoDatabases, startIsoBank, type IsoBank } from '../support/iso-banks.ts'
import { IsoBankCore } from '../../adapters/iso20022-bank/simulated-bank-core.ts'
import { loadConfig } from '../../switch/config/config.ts'
import { openDb } from '../../ledger/store/db.ts'
import { readDocument } from '../../adapters/iso20022-bank/iso-xml.ts'
import { writePacs008 } from '../../adapters/iso20022-bank/pacs008.ts'
import { readPacs002 } from '../../adapters/iso20022-bank/pacs002.ts'
import { assertValidIso } from '../../adapters/iso20022-bank/xsd-validation.ts'
import { answerNameOf } from '../../adapters/iso20022-bank/inbox-folder.ts'
import { Decimal } from '../../ledger/domain/money.ts'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const PAYMENTS = 6
const POLL_INTERVAL_MS = 100
const START_WAIT_MS = 60_000
const FINISH_WAIT_MS = 120_000
const ALICE = '255711700001'
const BOB = '255722800002'

let sw: SwitchHarness
let payee: IsoBank
let payerCore: IsoBankCore
let child: ChildProcess | undefined
const database = `agora_connector_isokill_${randomBytes(3).toString('hex')}`
const dir = mkdtempSync(path.join(tmpdir(), 'agora-iso-kill-'))
const inbox = path.join(dir, 'inbox')
const outbox = path.join(dir, 'outbox')

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as { port: number }).port
  await new Promise((r) => server.close(r))
  return port
}

async function until(check: () => boolean | Promise<boolean>, wait_ms: number, what: string): Promise<void> {
  const deadline = Date.now() + wait_ms
  while (!(await check())) {
    if (Date.now() > deadline) assert.fail(`timed out: ${what}`)
    await new Promise((r) => setTimeout(r, POLL_INTERVAL_MS))
  }
}

/** Starts the connector process; answers its ISO API URL once it printed it. */
async function startPayerConnector(configFile: string): Promise<string> {
  const started = spawn(process.execPath, [path.join(root, 'bin/agora.mjs'), 'connector', 'iso20022', '--config', configFile], { cwd: root, env: process.env, stdio: ['ignore', 'pipe', 'pipe'] })
  child = started
  let out = ''
  started.stdout!.on('data', (d) => { out += String(d) })
  started.stderr!.on('data', (d) => { out += String(d) })
  await until(() => /ISO 20022 messages at (http:\/\/[^\s,]+)/.test(out) || started.exitCode !== null, START_WAIT_MS, 'the connector process starts')
  const url = /ISO 20022 messages at (http:\/\/[^\s,]+)/.exec(out)?.[1]
  if (!url) assert.fail(`the connector did not start: ${out}`)
  return url
}

before(async () => {
  sw = await startSwitch('isokill')
  await setupHub(sw.admin, 'USD')
  payee = await startIsoBank(sw, 'isokillb', [{ idType: 'MSISDN', idValue: BOB, name: 'Bob', balance: '0' }])
  payerCore = new IsoBankCore('isokilla', [{ idType: 'MSISDN', idValue: ALICE, name: 'Alice', balance: '100000' }])
  await payerCore.start()
})
after(async () => {
  child?.kill('SIGKILL')
  await payee?.connector.stop()
  await payee?.core.close()
  await payerCore?.close()
  await dropIsoDatabases()
  const db = openDb({ ...loadConfig().db, database: '' })
  await db.raw('DROP DATABASE IF EXISTS ??', [database])
  await db.destroy()
  await sw.stop()
})

test('a connector killed with SIGKILL mid-payment and restarted answers every file once and pays every payment at most once', async () => {
  const fspiopPort = await freePort()
  const configFile = path.join(dir, 'isokilla.yaml')
  writeFileSync(configFile, [
    'fspId: isokilla', `switchUrl: ${sw.apiUrl}`, 'fspiopVersion: "1.1"', `fspiop: { host: 127.0.0.1, port: ${fspiopPort} }`, 'api: { host: 127.0.0.1, port: 0 }',
    `coreUrl: ${payerCore.url}`, `folders: { inbox: ${inbox}, outbox: ${outbox}, poll_ms: 100 }`, 'notifyTo: core', 'sweep_ms: 200',
    'ilpSecret: isokilla-secret', `db: { database: ${database} }`, 'logLevel: warn',
  ].join('\n'))
  let apiUrl = await startPayerConnector(configFile)
  await onboardDfsp(sw.admin, { name: 'isokilla', ndc: '10000', fundsIn: '100000', endpointBase: `http://127.0.0.1:${fspiopPort}` })
  assert.equal((await request(`${apiUrl}/parties/MSISDN/${ALICE}`, { method: 'POST' })).statusCode, 200)

  let release!: () => void
  payee.core.creditGate = new Promise<void>((r) => { release = r })
  mkdirSync(inbox, { recursive: true })
  const payments = Array.from({ length: PAYMENTS }, (_, i) => payerCore.creditTransfer({ msgId: `KILL-${i}`, uetr: randomUUID(), from: ALICE, to: BOB, amount: `${i + 1}.5` }))
  for (const [i, t] of payments.entries()) writeFileSync(path.join(inbox, `pay-${i}.xml`), writePacs008(t))
  writeFileSync(path.join(inbox, 'pay-0-again.xml'), writePacs008(payments[0]!))
  await until(() => payee.core.creditRequests.length >= 2, START_WAIT_MS, 'payments reach the payee core')
  child!.kill('SIGKILL')
  await new Promise((r) => child!.once('exit', r))
  // Their prepares were at the switch when the connector died: only the switch's answer can finish them.
  const inFlight = [...new Set(payee.core.creditRequests)]
  release()
  payee.core.creditGate = undefined

  apiUrl = await startPayerConnector(configFile)
  const files = [...payments.map((_, i) => `pay-${i}.xml`), 'pay-0-again.xml']
  await until(() => files.every((f) => existsSync(path.join(outbox, answerNameOf(f)))), FINISH_WAIT_MS, 'every file is answered')
  const answers = new Map(files.map((f) => {
    const xml = readFileSync(path.join(outbox, answerNameOf(f)), 'utf8')
    assertValidIso(xml, 'pacs.002')
    return [f, readPacs002(readDocument(xml))]
  }))
  assert.deepEqual(answers.get('pay-0-again.xml'), answers.get('pay-0.xml'), 'the same file twice: the same answer')
  let paid = new Decimal(0)
  for (const [i, t] of payments.entries()) {
    const status = answers.get(`pay-${i}.xml`)!
    assert.ok(status.status === 'ACSC' || status.status === 'RJCT', `final: ${JSON.stringify(status)}`)
    const rows = await sw.testDb.db('transfer').where({ id: t.uetr, state: 'COMMITTED' }).count({ n: '*' })
    assert.equal(Number(rows[0]!.n), status.status === 'ACSC' ? 1 : 0, `${t.msgId} ${status.status} ${status.info ?? ''}`)
    if (status.status === 'ACSC') paid = paid.plus(t.amount)
  }
  for (const uetr of inFlight) {
    const i = payments.findIndex((t) => t.uetr === uetr)
    assert.equal(answers.get(`pay-${i}.xml`)!.status, 'ACSC', 'a payment in flight at the kill is finished by the switch\'s answer after the restart')
  }
  await until(() => new Decimal(payee.core.balance(BOB)).equals(paid), FINISH_WAIT_MS, 'the payee core books every committed payment once')
  assert.equal(payee.core.pendingCount, 0)
  const position = async (name: string) => new Decimal((await admin(sw.admin, 'GET', `/participants/${name}/positions?currency=USD`)).body.value)
  assert.ok((await position('isokilla')).equals(paid))
  assert.ok((await position('isokillb')).equals(paid.negated()))
  await assertSwitchInvariants(sw)
  child!.kill('SIGTERM')
  await new Promise((r) => child!.once('exit', r))
  child = undefined
})
