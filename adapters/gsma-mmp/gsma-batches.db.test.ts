// GSMA batches through a running GSMA connector (its real database) against a TEST DOUBLE of the switch's
// disbursement API: `FakeDisbursementApi` below serves only the contract agreed with the switch's G2P work
// (POST /disbursements with Disbursement-Id and FSPIOP-Source → 202 {disbursementId, state, total};
// GET /disbursements/{id}; GET /disbursements/{id}/report), with a state the test sets. The happy path through
// the real switch is test/e2e/gsma-batch.test.ts; these stay for what the real switch is hard to make do on
// cue: a refusal of each kind, a switch that cannot answer reads, a state held while the callback is checked.
import { after, before, beforeEach, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes, randomUUID } from 'node:crypto'
import Fastify from 'fastify'
import { connectorDbSettings, dropDatabase, silentLogger } from '../../test/support/connector-env.ts'
import { send, type Heard } from '../../test/support/simulated-mmp.ts'
import { startGsmaConnector, type GsmaConnector } from './gsma-connector.ts'
import type { DisbursementState, DisbursementStatus } from './disbursement-client.ts'

const POLL_ATTEMPTS_MAX = 200
const POLL_INTERVAL_MS = 50
const database = `agora_gsma_batches_${randomBytes(3).toString('hex')}`

/** The switch's disbursement endpoint as the contract describes it; nothing else of the switch. */
class FakeDisbursementApi {
  readonly submissions: { headers: Record<string, unknown>; body: unknown }[] = []
  readonly disbursements = new Map<string, DisbursementStatus & { report: { completions: Record<string, unknown>[]; rejections: Record<string, unknown>[] } }>()
  /** When set, the next POST is refused with this status and body (the GSMA error object, as the switch answers a
   *  refused JSON submission, or an FSPIOP error from the layer before the route). */
  refuseNext: { status: number; body: Record<string, unknown> } | undefined
  /** While set, GET /disbursements/... answers 500 (a switch in trouble). */
  failReads = false
  private readonly app = Fastify()
  url = ''

  constructor() {
    this.app.post('/disbursements', async (req, reply) => {
      this.submissions.push({ headers: req.headers, body: req.body })
      if (this.refuseNext) {
        const refusal = this.refuseNext
        this.refuseNext = undefined
        return reply.code(refusal.status).send(refusal.body)
      }
      const id = String(req.headers['disbursement-id'])
      const total = (req.body as { transactions: unknown[] }).transactions.length
      if (!this.disbursements.has(id)) this.disbursements.set(id, { state: 'RECEIVED', total, paid: 0, failed: 0, unresolved: 0, pending: total, report: { completions: [], rejections: [] } })
      return reply.code(202).send({ disbursementId: id, state: this.disbursements.get(id)!.state, total })
    })
    this.app.addHook('onRequest', async (req, reply) => { if (this.failReads && req.method === 'GET') return reply.code(500).send({}) })
    this.app.get<{ Params: { id: string } }>('/disbursements/:id', async (req, reply) => {
      const d = this.disbursements.get(req.params.id)
      if (!d) return reply.code(404).send({ errorInformation: { errorCode: '3208', errorDescription: 'no such disbursement' } })
      const { report: _report, ...status } = d
      return status
    })
    this.app.get<{ Params: { id: string } }>('/disbursements/:id/report', async (req, reply) => {
      const d = this.disbursements.get(req.params.id)
      return d ? d.report : reply.code(404).send({ errorInformation: { errorCode: '3208', errorDescription: 'no such disbursement' } })
    })
  }

  move(id: string, state: DisbursementState, counts: Partial<DisbursementStatus> = {}, report?: { completions: Record<string, unknown>[]; rejections: Record<string, unknown>[] }): void {
    const d = this.disbursements.get(id)!
    Object.assign(d, { state, ...counts }, report ? { report } : {})
  }

  async start(): Promise<void> {
    await this.app.listen({ host: '127.0.0.1', port: 0 })
    this.url = `http://127.0.0.1:${(this.app.server.address() as { port: number }).port}`
  }

  close(): Promise<void> { return this.app.close() }
}

/** The MMP platform's callback receiver. */
const callbacks: { headers: Record<string, unknown>; body: Record<string, unknown> }[] = []
const receiver = Fastify()
receiver.put('/batch-callbacks', async (req, reply) => { callbacks.push({ headers: req.headers, body: req.body as Record<string, unknown> }); return reply.code(204).send() })
let callbackUrl = ''

let fake: FakeDisbursementApi
let gsma: GsmaConnector

async function eventually(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < POLL_ATTEMPTS_MAX && !(await check()); i++) await new Promise((r) => setTimeout(r, POLL_INTERVAL_MS))
  assert.ok(await check(), what)
}

const batch = (n = 2) => ({
  batchTitle: 'Salaries December', batchDescription: 'monthly payroll',
  transactions: Array.from({ length: n }, (_, i) => ({
    type: 'transfer', amount: `${10 + i}.50`, currency: 'USD', creditParty: [{ key: 'msisdn', value: `25570000000${i}` }],
    requestingOrganisationTransactionReference: `PAY-${i}`,
  })),
})

function postBatch(body: unknown, headers: Record<string, string> = { 'x-correlationid': randomUUID(), 'x-callback-url': callbackUrl }): Promise<Heard> {
  return send(gsma.apiUrl, 'POST', '/batchtransactions', body, headers)
}

before(async () => {
  fake = new FakeDisbursementApi()
  await fake.start()
  await receiver.listen({ host: '127.0.0.1', port: 0 })
  callbackUrl = `http://127.0.0.1:${(receiver.server.address() as { port: number }).port}/batch-callbacks`
  gsma = await startGsmaConnector({
    connector: {
      fspId: 'batchmmp', switchUrl: fake.url, fspiopVersion: '1.1', fspiop: { host: '127.0.0.1', port: 0 },
      db: connectorDbSettings(database), ilpSecret: 'batchmmp-ilp-secret', ilpAddress: 'g.agora.batchmmp', autoAcceptParty: true, autoAcceptQuote: true,
    },
    api: { host: '127.0.0.1', port: 0 }, mmp: { baseUrl: 'http://127.0.0.1:1' }, logLevel: 'silent',
  }, silentLogger())
})
after(async () => {
  await gsma?.stop()
  await fake?.close()
  await receiver.close()
  await dropDatabase(database)
})
beforeEach(() => { fake.refuseNext = undefined; fake.failReads = false })

test('POST /batchtransactions answers 202 with a pending request state (serverCorrelationId, objectReference = batchId) and hands the batch to the switch’s POST /disbursements (as received when each creditParty is already its one routed identifier)', async () => {
  const body = batch(3)
  const answer = await postBatch(body)
  assert.equal(answer.status, 202, JSON.stringify(answer.body))
  assert.match(String(answer.headers['content-type']), /^application\/json/)
  assert.ok(answer.headers['x-date'])
  assert.deepEqual([answer.body.status, answer.body.notificationMethod], ['pending', 'callback'])
  assert.match(answer.body.serverCorrelationId!, /^[0-9a-f-]{36}$/)
  const batchId = answer.body.objectReference!
  const submitted = fake.submissions.at(-1)!
  assert.equal(submitted.headers['disbursement-id'], batchId, 'Disbursement-Id is the batch id')
  assert.equal(submitted.headers['fspiop-source'], 'batchmmp', 'FSPIOP-Source is the MMP')
  assert.equal(submitted.headers['content-type'], 'application/json')
  assert.deepEqual(submitted.body, body, 'the body is the GSMA batch object as received')
  const state = await send(gsma.apiUrl, 'GET', `/requeststates/${answer.body.serverCorrelationId}`)
  assert.deepEqual([state.status, state.body.status, state.body.objectReference], [200, 'pending', batchId])
})

test('GET /batchtransactions/{batchId} is the Batch Transaction object of the disbursement’s state; completions and rejections are the switch’s report', async () => {
  const answer = await postBatch(batch(2))
  const batchId = answer.body.objectReference!
  const created = await send(gsma.apiUrl, 'GET', `/batchtransactions/${batchId}`)
  assert.equal(created.status, 200)
  const b = created.body as Record<string, unknown>
  assert.deepEqual([b.batchId, b.batchStatus, b.batchTitle, b.batchDescription, b.processingFlag, b.completedCount, b.rejectionCount], [batchId, 'created', 'Salaries December', 'monthly payroll', false, 0, 0])
  fake.move(batchId, 'PAYING', { paid: 1, pending: 1 })
  const paying = (await send(gsma.apiUrl, 'GET', `/batchtransactions/${batchId}`)).body as Record<string, unknown>
  assert.deepEqual([paying.batchStatus, paying.processingFlag, paying.completedCount], ['approved', true, 1])
  const completion = { transactionReference: randomUUID(), requestingOrganisationTransactionReference: 'PAY-0', creditParty: [{ key: 'msisdn', value: '255700000000' }], completionDate: new Date().toISOString(), link: '/transactions/x' }
  const rejection = { requestingOrganisationTransactionReference: 'PAY-1', creditParty: [{ key: 'msisdn', value: '255700000001' }], rejectionReason: 'party not found', rejectionDate: new Date().toISOString() }
  fake.move(batchId, 'COMPLETED', { paid: 1, unresolved: 1, pending: 0 }, { completions: [completion], rejections: [rejection] })
  const done = (await send(gsma.apiUrl, 'GET', `/batchtransactions/${batchId}`)).body as Record<string, unknown>
  assert.deepEqual([done.batchStatus, done.completedCount, done.rejectionCount, done.parsingSuccessCount], ['completed', 1, 1, 1])
  const completions = await send(gsma.apiUrl, 'GET', `/batchtransactions/${batchId}/completions`)
  assert.deepEqual([completions.status, completions.body, completions.headers['x-records-available-count']], [200, [completion], '1'])
  const rejections = await send(gsma.apiUrl, 'GET', `/batchtransactions/${batchId}/rejections`)
  assert.deepEqual([rejections.status, rejections.body, rejections.headers['x-records-available-count']], [200, [rejection], '1'])
  const unknown = await send(gsma.apiUrl, 'GET', `/batchtransactions/${randomUUID()}/completions`)
  assert.deepEqual([unknown.status, unknown.body.errorCategory, unknown.body.errorCode], [404, 'identification', 'identifierError'])
})

test('once the disbursement is COMPLETED the Batch Transaction object is PUT to X-Callback-URL with the request’s X-CorrelationID, once; the request state is completed', async () => {
  const cid = randomUUID()
  const answer = await postBatch(batch(1), { 'x-correlationid': cid, 'x-callback-url': callbackUrl })
  const batchId = answer.body.objectReference!
  await new Promise((r) => setTimeout(r, 600))
  assert.equal(callbacks.filter((c) => c.headers['x-correlationid'] === cid).length, 0, 'no callback before the disbursement completes')
  fake.move(batchId, 'COMPLETED', { paid: 1, pending: 0 })
  await eventually(() => callbacks.some((c) => c.headers['x-correlationid'] === cid), 'the batch callback')
  const callback = callbacks.find((c) => c.headers['x-correlationid'] === cid)!
  assert.deepEqual([callback.body.batchId, callback.body.batchStatus, callback.body.completedCount], [batchId, 'completed', 1])
  assert.match(String(callback.headers['content-type']), /^application\/json/)
  assert.ok(callback.headers['x-date'], 'the callback carries X-Date')
  const state = await send(gsma.apiUrl, 'GET', `/requeststates/${answer.body.serverCorrelationId}`)
  assert.equal(state.body.status, 'completed')
  await new Promise((r) => setTimeout(r, 600))
  assert.equal(callbacks.filter((c) => c.headers['x-correlationid'] === cid).length, 1, 'delivered once')
})

test('a malformed batch, a missing X-Callback-URL or a repeated X-CorrelationID is refused with the GSMA error object, and nothing more reaches the switch', async () => {
  const before = fake.submissions.length
  const refused = async (body: unknown, headers?: Record<string, string>) => {
    const answer = await postBatch(body, headers)
    return [answer.status, answer.body.errorCategory, answer.body.errorCode]
  }
  assert.deepEqual(await refused({ batchTitle: 'x' }), [400, 'validation', 'mandatoryValueNotSupplied'], 'transactions is mandatory')
  assert.deepEqual(await refused({ transactions: [] }), [400, 'validation', 'mandatoryValueNotSupplied'], 'an empty batch')
  assert.deepEqual(await refused({ transactions: 'all' }), [400, 'validation', 'formatError'])
  assert.deepEqual(await refused({ ...batch(1), batchTitle: 'x'.repeat(257) }), [400, 'validation', 'lengthError'], 'strings are 256 characters at most')
  const badAmount = await postBatch({ transactions: [batch(1).transactions[0], { amount: '-5', currency: 'USD', creditParty: [{ key: 'msisdn', value: '1' }] }] })
  assert.deepEqual([badAmount.status, badAmount.body.errorCode], [400, 'negativeValue'])
  assert.deepEqual(badAmount.body.errorParameters?.[0], { key: 'transactionIndex', value: '1' }, 'the refusal names the transaction')
  assert.deepEqual(await refused({ transactions: [{ amount: '5', currency: 'USD' }] }), [400, 'validation', 'mandatoryValueNotSupplied'], 'creditParty is mandatory')
  assert.deepEqual(await refused({ transactions: [{ amount: '5', currency: 'USD', type: 'billpay', creditParty: [{ key: 'msisdn', value: '1' }] }] }), [400, 'businessRule', 'transactionTypeError'], 'v1.2: a transaction type not offered is transactionTypeError')
  assert.deepEqual(await refused('{"transactions": [', { 'x-correlationid': randomUUID(), 'x-callback-url': callbackUrl }), [400, 'validation', 'formatError'], 'not JSON')
  assert.deepEqual(await refused(batch(1), { 'x-correlationid': randomUUID() }), [400, 'validation', 'mandatoryValueNotSupplied'], 'X-Callback-URL is required')
  assert.deepEqual(await refused(batch(1), { 'x-callback-url': callbackUrl }), [400, 'validation', 'mandatoryValueNotSupplied'], 'X-CorrelationID is required')
  assert.equal(fake.submissions.length, before, 'none of these reached the switch')
  const cid = randomUUID()
  assert.equal((await postBatch(batch(1), { 'x-correlationid': cid, 'x-callback-url': callbackUrl })).status, 202)
  assert.deepEqual(await refused(batch(1), { 'x-correlationid': cid, 'x-callback-url': callbackUrl }), [400, 'businessRule', 'duplicateRequest'], 'a batch with an X-CorrelationID supplied before')
  assert.equal(fake.submissions.length, before + 1, 'the duplicate was not sent on')
})

test('a batch the switch refuses reaches the client as the GSMA error for it, and its X-CorrelationID may be sent again', async () => {
  const cid = randomUUID()
  const gsmaError = (category: string, code: string, description: string) => ({ errorCategory: category, errorCode: code, errorDescription: description, errorDateTime: new Date().toISOString() })
  fake.refuseNext = { status: 400, body: gsmaError('validation', 'currencyNotSupported', 'batchmmp has no active EUR position account') }
  const refused = await postBatch(batch(1), { 'x-correlationid': cid, 'x-callback-url': callbackUrl })
  assert.deepEqual([refused.status, refused.body.errorCategory, refused.body.errorCode, refused.body.errorDescription], [400, 'validation', 'currencyNotSupported', 'batchmmp has no active EUR position account'], 'the switch’s GSMA error object, passed on')
  assert.ok(refused.body.errorParameters?.some((p) => p.key === 'switchStatus' && p.value === '400'))
  fake.refuseNext = { status: 409, body: gsmaError('businessRule', 'duplicateRequest', 'disbursement exists with other content') }
  const duplicate = await postBatch(batch(1))
  assert.deepEqual([duplicate.status, duplicate.body.errorCode], [400, 'duplicateRequest'], 'the switch’s duplicate Disbursement-Id')
  fake.refuseNext = { status: 400, body: { errorInformation: { errorCode: '3102', errorDescription: 'Missing mandatory element: date' } } }
  const header = await postBatch(batch(1))
  assert.deepEqual([header.status, header.body.errorCategory, header.body.errorCode], [400, 'validation', 'genericError'], 'an FSPIOP error from the layer before the route')
  assert.ok(header.body.errorParameters?.some((p) => p.key === 'fspiopErrorCode' && p.value === '3102'))
  const again = await postBatch(batch(1), { 'x-correlationid': cid, 'x-callback-url': callbackUrl })
  assert.equal(again.status, 202, 'nothing was recorded for the refused batch')
})

test('while the switch cannot answer for a batch, GET /batchtransactions/{batchId} and its request state are 503 serviceUnavailable, not an internal error', async () => {
  const answer = await postBatch(batch(1))
  fake.failReads = true
  const view = await send(gsma.apiUrl, 'GET', `/batchtransactions/${answer.body.objectReference}`)
  assert.deepEqual([view.status, view.body.errorCategory, view.body.errorCode], [503, 'serviceUnavailable', 'genericError'])
  const state = await send(gsma.apiUrl, 'GET', `/requeststates/${answer.body.serverCorrelationId}`)
  assert.deepEqual([state.status, state.body.errorCategory], [503, 'serviceUnavailable'])
  fake.failReads = false
  assert.equal((await send(gsma.apiUrl, 'GET', `/batchtransactions/${answer.body.objectReference}`)).status, 200)
})
