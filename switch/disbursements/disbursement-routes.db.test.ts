import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import Fastify, { type FastifyInstance } from 'fastify'
import { createTestDb, type TestDb } from '../../test/support/db.ts'
import { createMemoryBulkPayments } from '../../test/support/memory-bulk-payments.ts'
import { mapErrors } from '../fspiop/error-handler.ts'
import type { DirectoryParticipant, ParticipantDirectory } from '../fspiop/directory.ts'
import { createMysqlOracle } from '../lookup/oracle.ts'
import { silentLogger } from '../observability/logger.ts'
import { createDisbursementEngine, type DisbursementEngine } from './disbursement-engine.ts'
import { disbursementRoutes } from './disbursement-routes.ts'
import { pain001Sample } from './examples/pain001-sample.ts'

let t: TestDb
let app: FastifyInstance
let engine: DisbursementEngine
const bulk = createMemoryBulkPayments()
const running: Promise<void>[] = []

const participant = (name: string, currencies: string[]): DirectoryParticipant => ({
  id: 1, name, isActive: true, isHub: false, endpoints: new Map(), publicKey: undefined, apiMode: 'FSPIOP',
  accounts: new Map(currencies.map((c) => [`${c}:POSITION`, { id: 1, isActive: true }])),
})
const PARTICIPANTS = new Map([['govbank', participant('govbank', ['USD'])], ['otherbank', participant('otherbank', ['USD'])]])
const directory: ParticipantDirectory = { cachedEntries: 0, get: async (name) => PARTICIPANTS.get(name), certificate: async () => undefined, invalidate() {}, close() {} }

before(async () => {
  t = await createTestDb('disb_routes')
  const oracle = createMysqlOracle(t.db)
  await oracle.registerAll(Array.from({ length: 5 }, (_, i) => ({ type: 'MSISDN', id: `2557000${String(i).padStart(5, '0')}` })), 'mmp')
  await oracle.registerAll([{ type: 'MSISDN', id: '2551' }, { type: 'MSISDN', id: '2552' }], 'mmp')
  engine = createDisbursementEngine({ db: t.db, oracle, bulk, log: silentLogger() })
  app = Fastify()
  mapErrors(app)
  await app.register(disbursementRoutes, { db: t.db, directory, startPaying: (id) => { running.push(engine.run(id)) } })
  await app.ready()
})
after(async () => {
  await engine.stop()
  await app.close()
  await t.drop()
})

const post = (contentType: string, payload: string, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: '/disbursements', headers: { 'content-type': contentType, 'fspiop-source': 'govbank', ...headers }, payload })
const CSV = 'id_type,id_value,amount,currency,name,reference\nMSISDN,2551,10,USD,Ann,r1\nMSISDN,2552,5.5,USD,Bob,r2\nMSISDN,2559,1,USD,Nobody,r3\n'
const count = async (id: string) => Number((await t.db('disbursement_item').where({ disbursement_id: id }).count({ n: '*' }))[0]!.n)

test('CSV: 202 with the state and total; progress and a CSV report once paid; the same file again answers the same disbursement and pays nobody twice', async () => {
  const first = await post('text/csv', CSV, { 'disbursement-id': 'csv-1' })
  assert.equal(first.statusCode, 202)
  assert.deepEqual(first.json(), { disbursementId: 'csv-1', state: 'RECEIVED', total: 3 })
  await Promise.all(running)
  const again = await post('text/csv', CSV, { 'disbursement-id': 'csv-1' })
  assert.equal(again.statusCode, 202)
  assert.equal(again.json().state, 'COMPLETED')
  await Promise.all(running)
  const progress = (await app.inject({ method: 'GET', url: '/disbursements/csv-1', headers: { 'fspiop-source': 'govbank' } })).json()
  assert.deepEqual([progress.state, progress.paid, progress.unresolved, progress.amounts.paid], ['COMPLETED', 2, 1, '15.5'])
  const report = await app.inject({ method: 'GET', url: '/disbursements/csv-1/report', headers: { 'fspiop-source': 'govbank' } })
  assert.match(report.headers['content-type'] as string, /text\/csv/)
  assert.deepEqual(report.body.trim().split('\n').slice(1).map((l) => l.split(',')[6]), ['PAID', 'PAID', 'UNRESOLVED'])
  assert.equal(bulk.paidTo.get('2551')?.length, 1)
})

test('the same id with other content is refused with 409 in the caller\'s format and changes nothing', async () => {
  const changed = await post('text/csv', CSV.replace('5.5', '6'), { 'disbursement-id': 'csv-1' })
  assert.equal(changed.statusCode, 409)
  assert.match(changed.body, /other content/)
  assert.equal(await count('csv-1'), 3)
})

test('another payer cannot see a disbursement', async () => {
  const other = await app.inject({ method: 'GET', url: '/disbursements/csv-1', headers: { 'fspiop-source': 'otherbank' } })
  assert.equal(other.statusCode, 404)
})

test('pain.001: the id is GrpHdr/MsgId and the report is a pain.002 with a status per transaction', async () => {
  const answer = await post('application/xml', pain001Sample({ msgId: 'MOF-R-1', n: 5 }))
  assert.equal(answer.statusCode, 202)
  assert.equal(answer.json().disbursementId, 'MOF-R-1')
  await Promise.all(running)
  const report = await app.inject({ method: 'GET', url: '/disbursements/MOF-R-1/report', headers: { 'fspiop-source': 'govbank' } })
  assert.match(report.body, /pain\.002\.001\.10/)
  assert.equal(report.body.match(/<TxSts>ACCC<\/TxSts>/g)?.length, 5)
})

test('pain.001 failing the XSD is refused with a pain.002 RJCT (FF01) and nothing is created', async () => {
  const answer = await post('application/xml', pain001Sample({ msgId: 'MOF-BAD' }).replace('<PmtMtd>TRF</PmtMtd>', '<PmtMtd>NOPE</PmtMtd>'))
  assert.equal(answer.statusCode, 400)
  assert.match(answer.body, /<GrpSts>RJCT<\/GrpSts><StsRsnInf><Rsn><Cd>FF01<\/Cd>/)
  assert.equal(await t.db('disbursement').where({ id: 'MOF-BAD' }).first(), undefined)
})

test('GSMA: a currency the payer holds no position in is refused with the GSMA error object; malformed JSON too', async () => {
  const batch = JSON.stringify({ batchTitle: 'x', transactions: [{ amount: '1', currency: 'EUR', creditParty: [{ key: 'msisdn', value: '2551' }] }] })
  const answer = await post('application/json', batch, { 'disbursement-id': 'g-eur' })
  assert.equal(answer.statusCode, 400)
  assert.deepEqual([answer.json().errorCategory, answer.json().errorCode], ['validation', 'currencyNotSupported'])
  assert.equal(await count('g-eur'), 0)
  const malformed = await post('application/json', '{"transactions":', { 'disbursement-id': 'g-bad' })
  assert.deepEqual([malformed.statusCode, malformed.json().errorCode], [400, 'formatError'])
})

test('CSV without a Disbursement-Id header, and a caller that is no participant, are refused', async () => {
  const noId = await post('text/csv', CSV)
  assert.equal(noId.statusCode, 400)
  assert.match(noId.body, /Disbursement-Id/)
  const stranger = await post('text/csv', CSV, { 'disbursement-id': 'csv-x', 'fspiop-source': 'nobody' })
  assert.equal(stranger.statusCode, 403)
})
