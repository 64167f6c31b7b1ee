// BulkPayments, the switch paying in bulk on a payer's behalf, end to end over real HTTP, Kafka and
// MariaDB: the payee DFSP answers POST /bulkQuotes and POST /bulkTransfers; the payer hears nothing (the
// results come back to the caller); the same bulk transfer id asked twice pays once.
import { after, afterEach, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes, randomUUID } from 'node:crypto'
import type { SwitchHarness } from '../support/switch-harness.ts'
import { startSwitchWithDfsps } from '../support/dfsp-pair.ts'
import type { TestDfsp } from '../support/dfsp-server.ts'
import { call } from '../support/fixtures.ts'
import { fspiopHeaders, send } from '../support/fspiop-client.ts'
import { assertSwitchInvariants } from '../support/switch-invariants.ts'
import { conditionOf } from '../../ledger/domain/fulfilment.ts'
import { createBulkPayments } from '../../switch/bulk/create-bulk-payments.ts'

let sw: SwitchHarness
let payer: TestDfsp
let payee: TestDfsp
let stop: () => Promise<void>
/** The payee's fulfilment of each ILP packet it quoted. */
const fulfilments = new Map<string, string>()
/** Bulk quotes whose first POST the payee answered into the void. */
const lostOnce = new Set<string>()

before(async () => {
  ;({ sw, payer, payee, stop } = await startSwitchWithDfsps('bulkpay', ['g2ppayer', 'g2ppayee'], { ndc: '1000', fundsIn: '10000' }))
  // A payee: quotes each item (an unknown party 3204), fulfils each transfer it quoted.
  payee.onCallback((c) => {
    const h = fspiopHeaders(payee.name, payer.name, '1.1', c.path.startsWith('/bulkQuotes') ? 'bulkQuotes' : 'bulkTransfers')
    delete h.accept
    if (c.method === 'POST' && c.path === '/bulkQuotes') {
      const ids = c.body.individualQuotes.map((q: { payee: { partyIdInfo: { partyIdentifier: string } } }) => q.payee.partyIdInfo.partyIdentifier)
      if (ids.includes('silent')) return
      if (ids.includes('lost-once') && !lostOnce.has(c.body.bulkQuoteId)) return void lostOnce.add(c.body.bulkQuoteId) // its answer "lost
      const individualQuoteResults = c.body.individualQuotes.map((q: { quoteId: string; amount: object; payee: { partyIdInfo: { partyIdentifier: string } } }) => {
        if (q.payee.partyIdInfo.partyIdentifier === 'unknown') return { quoteId: q.quoteId, errorInformation: { errorCode: '3204', errorDescription: 'Party not found' } }
        const fulfilment = randomBytes(32).toString('base64url')
        const ilpPacket = randomBytes(32).toString('base64url')
        fulfilments.set(ilpPacket, fulfilment)
        return { quoteId: q.quoteId, transferAmount: q.amount, ilpPacket, condition: conditionOf(fulfilment) }
      })
      void send(sw.apiUrl, 'PUT', `/bulkQuotes/${c.body.bulkQuoteId}`, h, { expiration: new Date(Date.now() + 60_000).toISOString(), individualQuoteResults })
    }
    if (c.method === 'POST' && c.path === '/bulkTransfers') {
      const individualTransferResults = c.body.individualTransfers.map((t: { transferId: string; ilpPacket: string }) => ({ transferId: t.transferId, fulfilment: fulfilments.get(t.ilpPacket) }))
      void send(sw.apiUrl, 'PUT', `/bulkTransfers/${c.body.bulkTransferId}`, h, { bulkTransferState: 'COMPLETED', completedTimestamp: new Date().toISOString(), individualTransferResults })
    }
  })
})
afterEach(async () => assertSwitchInvariants(sw))
after(async () => stop())

const position = async (name: string) => (await call(sw.admin, 'GET', `/participants/${name}/accounts`)).body.find((a: { ledgerAccountType: string }) => a.ledgerAccountType === 'POSITION') as { value: number; reservedValue: number }

test('quote() answers per item from the payee; transfer() pays the quoted items; the same transfer() again pays nothing more and answers the same; the payer hears no callback', async () => {
  const bulkPayments = sw.pipeline.bulkPayments
  const expiration = new Date(Date.now() + 60_000).toISOString()
  const payees = ['alice', 'unknown', 'bob']
  const items = payees.map((id, i) => ({ quoteId: randomUUID(), transactionId: randomUUID(), payee: { partyIdType: 'MSISDN', partyIdentifier: id }, amount: String(10 + i), currency: 'USD' }))
  const bulkQuoteId = randomUUID()
  const quotes = await bulkPayments.quote({ bulkQuoteId, payerFsp: payer.name, payeeFsp: payee.name, expiration, items })
  assert.deepEqual(quotes.map((q) => q.ok), [true, false, true])
  assert.equal(quotes[1]!.ok === false && quotes[1]!.errorCode, '3204')
  // Asked again: the stored answer, the payee not asked again.
  assert.deepEqual(await bulkPayments.quote({ bulkQuoteId, payerFsp: payer.name, payeeFsp: payee.name, expiration, items }), quotes)
  assert.equal(payee.received.filter((c) => c.method === 'POST' && c.path === '/bulkQuotes').length, 1)

  const transferItems = quotes.flatMap((q) => (q.ok ? [{ transferId: randomUUID(), amount: q.transferAmount.amount, currency: 'USD', ilpPacket: q.ilpPacket, condition: q.condition }] : []))
  // One over the NDC of 1000: refused 4200, the others paid.
  transferItems.push({ transferId: randomUUID(), amount: '2000', currency: 'USD', ilpPacket: transferItems[0]!.ilpPacket, condition: transferItems[0]!.condition })
  const bulk = { bulkTransferId: randomUUID(), bulkQuoteId, payerFsp: payer.name, payeeFsp: payee.name, expiration, items: transferItems }
  const [first, concurrent] = await Promise.all([bulkPayments.transfer(bulk), bulkPayments.transfer(bulk)])
  assert.deepEqual(first.map((r) => r.state), ['COMMITTED', 'COMMITTED', 'ABORTED'])
  assert.equal(first[2]!.state !== 'COMMITTED' && first[2]!.errorCode, '4200')
  assert.deepEqual(concurrent, first)
  // After a restart: a BulkPayments of its own (nothing in memory) with the same id answers the same and pays nothing.
  const restarted = createBulkPayments({ db: sw.testDb.db, producer: sw.pipeline.producer, directory: sw.pipeline.directory, topic: (n) => sw.bus.topic(n) })
  assert.deepEqual(await restarted.transfer(bulk), first)
  assert.deepEqual([(await position(payer.name)).value, (await position(payer.name)).reservedValue], [22, 0])
  assert.equal(payee.received.filter((c) => c.method === 'POST' && c.path === '/bulkTransfers').length, 1)
  assert.equal(payer.received.filter((c) => c.path.startsWith('/bulk')).length, 0)
})

test('quote() of a bulk the payee never answers resolves at the expiration with every item failed 3302', async () => {
  const items = [{ quoteId: randomUUID(), transactionId: randomUUID(), payee: { partyIdType: 'MSISDN', partyIdentifier: 'silent' }, amount: '1', currency: 'USD' }]
  const expiration = new Date(Date.now() + 1_000).toISOString()
  const quotes = await sw.pipeline.bulkPayments.quote({ bulkQuoteId: randomUUID(), payerFsp: payer.name, payeeFsp: payee.name, expiration, items })
  assert.deepEqual(quotes.map((q) => (q.ok ? 'ok' : q.errorCode)), ['3302'])
})

test('quote() asked again of a bulk the payee has not answered (its answer lost while the switch was down) asks the payee again, and both calls get its answer', async () => {
  const items = [{ quoteId: randomUUID(), transactionId: randomUUID(), payee: { partyIdType: 'MSISDN', partyIdentifier: 'lost-once' }, amount: '1', currency: 'USD' }]
  const input = { bulkQuoteId: randomUUID(), payerFsp: payer.name, payeeFsp: payee.name, expiration: new Date(Date.now() + 30_000).toISOString(), items }
  const asked = () => payee.received.filter((c) => c.method === 'POST' && c.path === '/bulkQuotes' && c.body.bulkQuoteId === input.bulkQuoteId).length
  const first = sw.pipeline.bulkPayments.quote(input)
  while (asked() === 0) await new Promise((resolve) => setTimeout(resolve, 50))
  // As the engine does after a restart: a BulkPayments of its own asks for the same bulk quote.
  const restarted = createBulkPayments({ db: sw.testDb.db, producer: sw.pipeline.producer, directory: sw.pipeline.directory, topic: (n) => sw.bus.topic(n) })
  const again = await restarted.quote(input)
  assert.deepEqual(again.map((q) => q.ok), [true])
  assert.deepEqual(await first, again)
  assert.equal(asked(), 2)
})
