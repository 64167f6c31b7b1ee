// Which FSPIOP version each callback of the position handler goes out in, on the real MariaDB. The hub
// answers a DFSP in the version it asked for in Accept (the API definition's Accept: "the version of the
// API the client would like the server to use"); what one DFSP sent another is passed on with the
// sender's own Content-Type, as Mojaloop passes the original headers on. Messages written to Kafka before
// the Accept version was carried, and transfers stored before it was kept, answer in their Content-Type's.
import { after, afterEach, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { startPipelineLedger, type PipelineLedger } from '../../test/invariants/pipeline-ledger.ts'
import { assertLedgerInvariants } from '../../ledger/invariants/ledger-invariants.ts'
import { pipelineInvariants } from '../invariants/pipeline-invariants.ts'
import type { Notification, PositionTopicMessage, PrepareMessage } from '../pipeline/messages.ts'

let ledger: PipelineLedger

before(async () => {
  ledger = await startPipelineLedger('position_versions', { ndc: '1000', fundsIn: '5000' })
})
afterEach(async () => {
  const reserved = await ledger.testDb.db('transfer').where({ state: 'RESERVED' }).select('id', 'payer_account_id')
  await ledger.run(reserved.map((r: any) => ({ kind: 'expire', transferId: r.id, payerAccountId: r.payer_account_id })), new Date(Date.now() + 3_600_000))
  await assertLedgerInvariants(ledger.testDb.db, pipelineInvariants())
})
after(async () => ledger.close())

/** "METHOD path to version (accept)" of each callback, the error code in place of the path of errors. */
const sent = (out: Notification[]) => out.map((n) => {
  const what = (n.body as any)?.errorInformation?.errorCode ?? `${n.method} ${n.path.replace(/\/transfers\/.+/, '/transfers/{id}')}`
  return `${what} to ${n.to} in ${n.version}${n.acceptVersion ? ` accepting ${n.acceptVersion}` : ''}`
})
const prepareIn = (amount: string, version: PrepareMessage['version'], acceptVersion?: PrepareMessage['version'], expiresIn_ms?: number) => {
  const t = ledger.prepare(amount, { expiresIn_ms })
  t.message = { ...t.message, version, ...(acceptVersion ? { acceptVersion } : {}) }
  return t
}
const fulfilIn = (t: ReturnType<typeof prepareIn>, version: PrepareMessage['version'], opts: Parameters<PipelineLedger['fulfil']>[1] = {}) =>
  ({ ...ledger.fulfil(t, opts), version }) as PositionTopicMessage

test('a v1.1 prepare whose Accept asks for v1.0 gets the hub\'s error in v1.0', async () => {
  const tooBig = prepareIn('1001', '1.1', '1.0')
  assert.deepEqual(sent(await ledger.run([tooBig.message])), ['4200 to payerfsp in 1.0'])
})

test('a prepare with content 1.1 accepting 2.0 is passed to the payee in 1.1 with Accept 2.0, and the hub answers the payer in 2.0', async () => {
  const t = prepareIn('10', '1.1', '2.0')
  assert.deepEqual(sent(await ledger.run([t.message])), ['POST /transfers to payeefsp in 1.1 accepting 2.0'])
  const modified = { ...t.message, body: { ...t.message.body, amount: { amount: '11', currency: 'USD' } }, hash: 'different' }
  assert.deepEqual(sent(await ledger.run([modified])), ['3106 to payerfsp in 2.0'])
})

test('a prepare written to Kafka before the Accept version was carried is answered in its Content-Type\'s version', async () => {
  const old = prepareIn('1001', '1.0')
  assert.equal('acceptVersion' in old.message, false)
  assert.deepEqual(sent(await ledger.run([old.message])), ['4200 to payerfsp in 1.0'])
  const forwarded = prepareIn('10', '1.0')
  assert.deepEqual(sent(await ledger.run([forwarded.message])), ['POST /transfers to payeefsp in 1.0 accepting 1.0'])
})

test('the payee\'s fulfil reaches the payer in the payee\'s content type, as Mojaloop passes the payee\'s headers on', async () => {
  const t = prepareIn('20', '1.1', '1.1')
  await ledger.run([t.message])
  assert.deepEqual(sent(await ledger.run([fulfilIn(t, '2.0')])), ['PUT /transfers/{id} to payerfsp in 2.0'])
  const reserved = prepareIn('21', '1.1', '1.0')
  await ledger.run([reserved.message])
  assert.deepEqual(sent(await ledger.run([fulfilIn(reserved, '1.1', { state: 'RESERVED' })])), ['PUT /transfers/{id} to payerfsp in 1.1', 'PATCH /transfers/{id} to payeefsp in 1.1'])
  const rejected = prepareIn('22', '1.1', '2.0')
  await ledger.run([rejected.message])
  assert.deepEqual(sent(await ledger.run([{ ...ledger.reject(rejected), version: '1.0' } as PositionTopicMessage])), ['5104 to payerfsp in 1.0'])
})

test('a fulfilment that does not match: the payer hears 3100 in the version it accepted, the payee in its own', async () => {
  const t = prepareIn('30', '1.1', '2.0')
  await ledger.run([t.message])
  const wrong = fulfilIn(t, '1.0', { fulfilment: 'A'.repeat(43) })
  assert.deepEqual(sent(await ledger.run([wrong])), ['3100 to payerfsp in 2.0', '3100 to payeefsp in 1.0'])
})

test('an expiry reaches the payer in the version it accepted and the payee in the version the prepare reached it in', async () => {
  const t = prepareIn('40', '1.1', '2.0', 1_000)
  await ledger.run([t.message])
  const out = await ledger.run([ledger.expire(t)], new Date(Date.now() + 5_000))
  assert.deepEqual(sent(out), ['3303 to payerfsp in 2.0', '3303 to payeefsp in 1.1'])
})

test('a transfer stored before the payer\'s Accept version was kept answers the payer in its Content-Type\'s version', async () => {
  const t = prepareIn('50', '1.0', '2.0', 1_000)
  await ledger.run([t.message])
  await ledger.testDb.db('transfer').where({ id: t.message.transferId }).update({ payer_accept_version: null })
  const out = await ledger.run([ledger.expire(t)], new Date(Date.now() + 5_000))
  assert.deepEqual(sent(out), ['3303 to payerfsp in 1.0', '3303 to payeefsp in 1.0'])
})
