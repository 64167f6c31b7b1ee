// Bulk quotes and bulk transfers end to end over real HTTP, Kafka and MariaDB, between two DFSP servers:
// a bulk of 1,000 transfers through the position pipeline (some refused for the payer's NDC, some refused
// by the payee for unknown parties), duplicates, GET, the 1,000-item limit and the expiry of a bulk. The
// pipeline's invariants are checked after each test.
import { after, afterEach, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import type { SwitchHarness } from '../support/switch-harness.ts'
import { startSwitchWithDfsps } from '../support/dfsp-pair.ts'
import type { ReceivedCallback, TestDfsp } from '../support/dfsp-server.ts'
import { partiesTold } from '../../switch/invariants/pipeline-invariants.ts'
import { call } from '../support/fixtures.ts'
import { fspiopHeaders, newTransfer, send, type SentTransfer } from '../support/fspiop-client.ts'
import { assertSwitchInvariants } from '../support/switch-invariants.ts'
import { ulid } from '../support/ulid.ts'

let sw: SwitchHarness
let payer: TestDfsp
let payee: TestDfsp
let stop: () => Promise<void>

before(async () => {
  ;({ sw, payer, payee, stop } = await startSwitchWithDfsps('bulk', ['bulkpayer', 'bulkpayee'], { ndc: '5000', fundsIn: '100000' }))
})
afterEach(async () => {
  await assertSwitchInvariants(sw)
  // I6: the payer and payee of every final transfer heard of it (a bulk's items in the bulk's result), or the callback is dead-lettered with a reason.
  const inBulkResult = (c: ReceivedCallback, id: string) => c.method === 'PUT' && c.path.startsWith('/bulkTransfers/') && (c.body?.individualTransferResults as ItemResult[] | undefined)?.some((r) => r.transferId === id)
  const heard = (dfsp: string, id: string) => (dfsp === payer.name ? payer : payee).received.some((c) => inBulkResult(c, id) || (c.method !== 'POST' && c.path.startsWith(`/transfers/${id}`)))
  const told = partiesTold(heard, [payer.name, payee.name])
  let untold = await told(sw.testDb.db)
  for (let i = 0; i < 50 && untold.length > 0; i++) {
    await new Promise((r) => setTimeout(r, 100))
    untold = await told(sw.testDb.db)
  }
  assert.deepEqual(untold.slice(0, 5), [], 'every party heard the outcome of its transfers, or it is dead-lettered')
})
after(async () => stop())

interface AccountBody { ledgerAccountType: string; value: number; reservedValue: number }
const position = async (name: string) => (await call(sw.admin, 'GET', `/participants/${name}/accounts`)).body.find((a: AccountBody) => a.ledgerAccountType === 'POSITION') as AccountBody
const headers = (source: string, destination: string, callback = false) => {
  const h = fspiopHeaders(source, destination, '1.1', 'bulkTransfers')
  if (callback) delete h.accept
  return h
}
const states = async (ids: string[]) => new Map((await sw.testDb.db('transfer').whereIn('id', ids).select('id', 'state')).map((r: { id: string; state: string }) => [r.id, r.state]))

function bulkOf(transfers: SentTransfer[], expiresIn_ms = 60_000) {
  return {
    bulkTransferId: randomUUID(), bulkQuoteId: randomUUID(), payerFsp: payer.name, payeeFsp: payee.name,
    expiration: new Date(Date.now() + expiresIn_ms).toISOString(),
    individualTransfers: transfers.map((t) => ({ transferId: t.transferId, transferAmount: t.body.amount, ilpPacket: t.body.ilpPacket, condition: t.condition })),
  }
}
const postBulk = (body: object) => send(sw.apiUrl, 'POST', '/bulkTransfers', headers(payer.name, payee.name), body)
const toPayer = (path: string, after = 0) => payer.waitFor((c) => c.method === 'PUT' && c.path === path && payer.received.indexOf(c) >= after, 60_000)
type ItemResult = { transferId: string; fulfilment?: string; errorInformation?: { errorCode: string } }

describe('a bulk of 1,000 transfers', () => {
  const amounts = [...Array(980).fill('4'), ...Array(10).fill('500'), ...Array(10).fill('1')] as string[]
  const transfers = amounts.map((a) => newTransfer('bulkpayer', 'bulkpayee', a))
  const unknownParty = new Set(transfers.slice(0, 20).map((t) => t.transferId))
  let bulk: ReturnType<typeof bulkOf>
  before(() => { bulk = bulkOf(transfers) })

  test('each item is checked against the payer\'s NDC; the accepted ones reach the payee as one POST /bulkTransfers; the payee\'s per-item answers commit or abort each', async () => {
    assert.equal((await postBulk(bulk)).status, 202)
    const forwarded = await payee.waitFor((c) => c.method === 'POST' && c.path === '/bulkTransfers' && c.body.bulkTransferId === bulk.bulkTransferId, 60_000)
    const sent = forwarded.body.individualTransfers as { transferId: string }[]
    // 980 x 4 + 2 x 500 fit the NDC of 5000; the next 8 of 500 do not (the headroom shrinks); the 10 of 1 fit.
    assert.equal(sent.length, 992)
    assert.deepEqual([(await position('bulkpayer')).value, (await position('bulkpayer')).reservedValue], [0, 4930])
    const results = sent.map((s) => {
      const t = transfers.find((x) => x.transferId === s.transferId)!
      return unknownParty.has(t.transferId)
        ? { transferId: t.transferId, errorInformation: { errorCode: '3204', errorDescription: 'Party not found' } }
        : { transferId: t.transferId, fulfilment: t.fulfilment }
    })
    const answer = await send(sw.apiUrl, 'PUT', `/bulkTransfers/${bulk.bulkTransferId}`, headers(payee.name, payer.name, true), { bulkTransferState: 'COMPLETED', completedTimestamp: new Date().toISOString(), individualTransferResults: results })
    assert.equal(answer.status, 200)
    const done = await toPayer(`/bulkTransfers/${bulk.bulkTransferId}`)
    assert.equal(done.body.bulkTransferState, 'COMPLETED')
    const byId = new Map((done.body.individualTransferResults as ItemResult[]).map((r) => [r.transferId, r]))
    assert.equal(byId.size, 1000)
    const codes = transfers.map((t) => byId.get(t.transferId)!.errorInformation?.errorCode ?? 'ok')
    assert.deepEqual(codes, [...Array(20).fill('3204'), ...Array(960).fill('ok'), 'ok', 'ok', ...Array(8).fill('4200'), ...Array(10).fill('ok')])
    assert.equal(byId.get(transfers[500]!.transferId)!.fulfilment, transfers[500]!.fulfilment)
    const ledger = await states(transfers.map((t) => t.transferId))
    assert.equal([...ledger.values()].filter((s) => s === 'COMMITTED').length, 972)
    assert.equal([...ledger.values()].filter((s) => s === 'ABORTED').length, 28)
    // 960 x 4 + 2 x 500 + 10 x 1 committed.
    assert.deepEqual([(await position('bulkpayer')).value, (await position('bulkpayer')).reservedValue], [4850, 0])
    assert.equal((await position('bulkpayee')).value, -4850)
  })

  test('the same bulk sent again is not paid twice: the payer gets the final state again', async () => {
    const seen = payer.received.length
    assert.equal((await postBulk(bulk)).status, 202)
    const again = await toPayer(`/bulkTransfers/${bulk.bulkTransferId}`, seen)
    assert.equal(again.body.bulkTransferState, 'COMPLETED')
    assert.equal(again.body.individualTransferResults.length, 1000)
    assert.deepEqual([(await position('bulkpayer')).value, (await position('bulkpayer')).reservedValue], [4850, 0])
  })

  test('the same bulk id with a modified body is refused with 3106 and changes nothing', async () => {
    const modified = { ...bulk, individualTransfers: bulk.individualTransfers.slice(1) }
    assert.equal((await postBulk(modified)).status, 202)
    const error = await toPayer(`/bulkTransfers/${bulk.bulkTransferId}/error`)
    assert.equal(error.body.errorInformation.errorCode, '3106')
    assert.deepEqual([(await position('bulkpayer')).value, (await position('bulkpayer')).reservedValue], [4850, 0])
  })

  test('GET /bulkTransfers/{id} answers the bulk\'s state to its payer, 3210 for an unknown id', async () => {
    const seen = payer.received.length
    const h = fspiopHeaders(payer.name, undefined, '1.1', 'bulkTransfers')
    const asked = await send(sw.apiUrl, 'GET', `/bulkTransfers/${bulk.bulkTransferId}`, h)
    assert.equal(asked.status, 202, JSON.stringify(asked.body))
    const state = await toPayer(`/bulkTransfers/${bulk.bulkTransferId}`, seen)
    assert.equal(state.body.bulkTransferState, 'COMPLETED')
    const unknown = randomUUID()
    await send(sw.apiUrl, 'GET', `/bulkTransfers/${unknown}`, h)
    assert.equal((await toPayer(`/bulkTransfers/${unknown}/error`)).body.errorInformation.errorCode, '3210')
  })
})

describe('limits and expiry', () => {
  test('ULIDs are ids of bulks and of their transfers (v1.1), and a bulk path id that is neither UUID nor ULID is refused', async () => {
    const transfers = [newTransfer('bulkpayer', 'bulkpayee', '1', { transferId: ulid() })]
    const bulk = { ...bulkOf(transfers), bulkTransferId: ulid(), bulkQuoteId: ulid() }
    assert.equal((await postBulk(bulk)).status, 202)
    const forwarded = await payee.waitFor((c) => c.method === 'POST' && c.body?.bulkTransferId === bulk.bulkTransferId)
    assert.equal(forwarded.body.individualTransfers[0].transferId, transfers[0]!.transferId)
    const answer = { bulkTransferState: 'COMPLETED', individualTransferResults: [{ transferId: transfers[0]!.transferId, fulfilment: transfers[0]!.fulfilment }] }
    assert.equal((await send(sw.apiUrl, 'PUT', `/bulkTransfers/${bulk.bulkTransferId}`, headers(payee.name, payer.name, true), answer)).status, 200)
    assert.equal((await toPayer(`/bulkTransfers/${bulk.bulkTransferId}`)).body.individualTransferResults[0].fulfilment, transfers[0]!.fulfilment)
    const bad = await send(sw.apiUrl, 'PUT', '/bulkTransfers/not-an-id', headers(payee.name, payer.name, true), answer)
    assert.equal(bad.status, 400)
    assert.match(bad.body.errorInformation.errorCode, /^310\d$/)
  })

  test('a bulk whose FSPIOP-Source is not its payer is refused with 3100', async () => {
    const answer = await send(sw.apiUrl, 'POST', '/bulkTransfers', headers(payee.name, payer.name), bulkOf([newTransfer('bulkpayer', 'bulkpayee', '1')]))
    assert.equal(answer.status, 400)
    assert.equal(answer.body.errorInformation.errorCode, '3100')
  })

  test('a bulk of more than 1,000 transfers is refused at once with a 3100-family error', async () => {
    const answer = await postBulk(bulkOf(Array.from({ length: 1001 }, () => newTransfer('bulkpayer', 'bulkpayee', '1'))))
    assert.equal(answer.status, 400)
    assert.match(answer.body.errorInformation.errorCode, /^310\d$/)
  })

  test('a bulk the payee never answers expires: its reserved items are released and the payer gets them EXPIRED (3303)', async () => {
    const before = await position('bulkpayer')
    const transfers = [newTransfer('bulkpayer', 'bulkpayee', '7'), newTransfer('bulkpayer', 'bulkpayee', '8')]
    const bulk = bulkOf(transfers, 1_500)
    assert.equal((await postBulk(bulk)).status, 202)
    await payee.waitFor((c) => c.method === 'POST' && c.body?.bulkTransferId === bulk.bulkTransferId)
    const done = await toPayer(`/bulkTransfers/${bulk.bulkTransferId}`)
    assert.deepEqual((done.body.individualTransferResults as ItemResult[]).map((r) => r.errorInformation?.errorCode), ['3303', '3303'])
    assert.deepEqual([...(await states(transfers.map((t) => t.transferId))).values()], ['EXPIRED', 'EXPIRED'])
    const now = await position('bulkpayer')
    assert.deepEqual([now.value, now.reservedValue], [before.value, before.reservedValue])
    // The payee, which was asked, hears the outcome too.
    await payee.waitFor((c) => c.method === 'PUT' && c.path === `/bulkTransfers/${bulk.bulkTransferId}`)
  })
})

describe('bulk quotes', () => {
  test('POST /bulkQuotes reaches the payee, its answer reaches the payer, GET resends the stored answer', async () => {
    const bulkQuoteId = randomUUID()
    const party = (fspId: string, id: string) => ({ partyIdInfo: { partyIdType: 'MSISDN', partyIdentifier: id, fspId } })
    const body = {
      bulkQuoteId, payer: party(payer.name, '111'),
      individualQuotes: [1, 2].map((i) => ({
        quoteId: randomUUID(), transactionId: randomUUID(), payee: party(payee.name, `22${i}`), amountType: 'SEND', amount: { amount: '5', currency: 'USD' },
        transactionType: { scenario: 'TRANSFER', initiator: 'PAYER', initiatorType: 'BUSINESS' },
      })),
    }
    const h = fspiopHeaders(payer.name, payee.name, '1.1', 'bulkQuotes')
    const posted = await send(sw.apiUrl, 'POST', '/bulkQuotes', h, body)
    assert.equal(posted.status, 202, JSON.stringify(posted.body))
    const asked = await payee.waitFor((c) => c.method === 'POST' && c.path === '/bulkQuotes' && c.body.bulkQuoteId === bulkQuoteId)
    assert.equal(asked.headers['fspiop-source'], payer.name)
    const t = newTransfer(payer.name, payee.name, '5')
    const answerBody = {
      expiration: new Date(Date.now() + 60_000).toISOString(),
      individualQuoteResults: [
        { quoteId: body.individualQuotes[0]!.quoteId, transferAmount: { amount: '5', currency: 'USD' }, ilpPacket: t.body.ilpPacket, condition: t.condition },
        { quoteId: body.individualQuotes[1]!.quoteId, errorInformation: { errorCode: '3204', errorDescription: 'Party not found' } },
      ],
    }
    const ah = fspiopHeaders(payee.name, payer.name, '1.1', 'bulkQuotes')
    delete ah.accept
    assert.equal((await send(sw.apiUrl, 'PUT', `/bulkQuotes/${bulkQuoteId}`, ah, answerBody)).status, 200)
    const answered = await payer.waitFor((c) => c.method === 'PUT' && c.path === `/bulkQuotes/${bulkQuoteId}`)
    assert.deepEqual(answered.body, answerBody)
    const seen = payer.received.length
    const gh = fspiopHeaders(payer.name, undefined, '1.1', 'bulkQuotes')
    assert.equal((await send(sw.apiUrl, 'GET', `/bulkQuotes/${bulkQuoteId}`, gh)).status, 202)
    const again = await payer.waitFor((c) => c.method === 'PUT' && c.path === `/bulkQuotes/${bulkQuoteId}` && payer.received.indexOf(c) >= seen)
    assert.deepEqual(again.body, answerBody)
    // A modified request with the same id: 3106.
    await send(sw.apiUrl, 'POST', '/bulkQuotes', h, { ...body, individualQuotes: body.individualQuotes.slice(1) })
    assert.equal((await payer.waitFor((c) => c.path === `/bulkQuotes/${bulkQuoteId}/error`)).body.errorInformation.errorCode, '3106')
  })
})
