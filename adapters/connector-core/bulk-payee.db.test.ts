// The payee half of bulk against its real database (MariaDB), with the switch and the core replaced by
// recorders: each item of a bulk quote or bulk transfer is answered as its single counterpart would be and
// reported per item; a repeated bulk gets its first answer again and the core is asked once per item; the
// switch's final PUT /bulkTransfers/{id} tells the core each item's final state once; a bulk a stop cut
// short is worked again at start without crediting an item twice.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes, randomUUID } from 'node:crypto'
import { connectorDbSettings, dropDatabase, silentLogger } from '../../test/support/connector-env.ts'
import type { Db } from '../../ledger/store/db.ts'
import { createBulkPayee, type BulkPayee, type BulkQuoteRequest, type BulkTransferRequest } from './bulk-payee.ts'
import { FspiopFailure } from './fspiop-failure.ts'
import { openConnectorDb } from './connector-db.ts'
import { createPayee } from './payee.ts'
import { createInboundStore } from './payment-store.ts'
import type { PayeeBackend } from './payee-backend.ts'
import type { SwitchClient } from './switch-client.ts'

let db: Db
let bulk: BulkPayee
interface SentBody {
  bulkTransferState?: string
  individualQuoteResults?: { quoteId: string; transferAmount: { amount: string; currency: string }; ilpPacket: string; condition: string }[]
  individualTransferResults?: { transferId: string; fulfilment?: string; errorInformation?: { errorCode: string } }[]
}
const sent: { method: string; path: string; body: SentBody }[] = []
const asked: string[] = []
const database = `agora_connector_bulk_${randomBytes(3).toString('hex')}`
/** Accounts the core refuses to credit. */
const CLOSED = '2559'

const backend: PayeeBackend = {
  async lookupParty(idType, idValue) { return { party: { partyIdInfo: { partyIdType: idType, partyIdentifier: idValue } } } },
  async quote(q) { asked.push(`quote ${q.quoteId}`); return { transferAmount: q.amount } },
  async credit(c) {
    asked.push(`credit ${c.transferId}`)
    if (c.transaction.payee.partyIdInfo.partyIdentifier === CLOSED) throw FspiopFailure.of('3204', 'no such account')
    return {}
  },
  async notifyFinal(id, state) { asked.push(`final ${id} ${state}`) },
}
const client = { async send(method: string, path: string, _resource: string, body: SentBody) { sent.push({ method, path, body }); return { status: 200, body: undefined } } } as unknown as SwitchClient
const lastTo = (prefix: string) => [...sent].reverse().find((s) => s.path.startsWith(prefix))!

function makeBulkPayee(): BulkPayee {
  const inbound = createInboundStore(db)
  const payee = createPayee({ fspId: 'payeefsp', ilpSecret: 'secret', ilpAddress: 'g.agora.payeefsp', backend, inbound, client, logger: silentLogger() })
  return createBulkPayee({ ilpSecret: 'secret', ilpAddress: 'g.agora.payeefsp', backend, inbound, client, logger: silentLogger(), finish: payee.finish })
}

const bulkQuote = (payees: string[]): BulkQuoteRequest => ({
  bulkQuoteId: randomUUID(), expiration: new Date(Date.now() + 60_000).toISOString(),
  payer: { partyIdInfo: { partyIdType: 'BUSINESS', partyIdentifier: 'payerfsp', fspId: 'payerfsp' } },
  individualQuotes: payees.map((p, i) => ({
    quoteId: randomUUID(), transactionId: randomUUID(), amountType: 'SEND', amount: { amount: String(10 + i), currency: 'USD' },
    payee: { partyIdInfo: { partyIdType: 'MSISDN', partyIdentifier: p, fspId: 'payeefsp' } },
    transactionType: { scenario: 'DISBURSEMENT', initiator: 'PAYER', initiatorType: 'BUSINESS' },
  })),
})

async function quotedTransfer(payees: string[]): Promise<BulkTransferRequest> {
  const request = bulkQuote(payees)
  await bulk.answerBulkQuote(request, 'payerfsp')
  const results = lastTo(`/bulkQuotes/${request.bulkQuoteId}`).body.individualQuoteResults!
  return {
    bulkTransferId: randomUUID(), bulkQuoteId: request.bulkQuoteId, payerFsp: 'payerfsp', payeeFsp: 'payeefsp', expiration: new Date(Date.now() + 60_000).toISOString(),
    individualTransfers: results.map((r) => ({ transferId: randomUUID(), transferAmount: r.transferAmount, ilpPacket: r.ilpPacket, condition: r.condition })),
  }
}

before(async () => {
  db = await openConnectorDb(connectorDbSettings(database))
  bulk = makeBulkPayee()
})
after(async () => {
  await db.destroy()
  await dropDatabase(database)
})

test('a bulk quote is answered per item with its own ILP packet and condition; a repeated bulk quote gets the first answer again and the core quotes each item once', async () => {
  const request = bulkQuote(['2551', '2552', '2553'])
  await bulk.answerBulkQuote(request, 'payerfsp')
  const first = lastTo(`/bulkQuotes/${request.bulkQuoteId}`)
  assert.equal(first.method, 'PUT')
  assert.deepEqual(first.body.individualQuoteResults!.map((r) => r.quoteId), request.individualQuotes.map((q) => q.quoteId))
  assert.equal(new Set(first.body.individualQuoteResults!.map((r) => r.condition)).size, 3, 'a condition per item')
  await bulk.answerBulkQuote(request, 'payerfsp')
  assert.deepEqual(lastTo(`/bulkQuotes/${request.bulkQuoteId}`).body, first.body)
  for (const q of request.individualQuotes) assert.deepEqual(asked.filter((a) => a === `quote ${q.quoteId}`), [`quote ${q.quoteId}`])
})

test('a bulk transfer: each item the core credits is fulfilled, one it refuses carries its error, one with a packet this payee did not make is 3106 without asking the core; a repeat credits nothing again', async () => {
  const request = await quotedTransfer(['2551', CLOSED, '2553'])
  const tampered = { ...request.individualTransfers[2]!, transferAmount: { amount: '1000', currency: 'USD' } }
  request.individualTransfers[2] = tampered
  await bulk.answerBulkTransfer(request, 'payerfsp')
  const answer = lastTo(`/bulkTransfers/${request.bulkTransferId}`)
  const [paid, refused, forged] = answer.body.individualTransferResults!
  assert.equal(answer.body.bulkTransferState, 'COMPLETED')
  assert.ok(paid!.fulfilment && !paid!.errorInformation)
  assert.equal(refused!.errorInformation?.errorCode, '3204')
  assert.equal(forged!.errorInformation?.errorCode, '3106')
  assert.ok(!asked.includes(`credit ${tampered.transferId}`))
  await bulk.answerBulkTransfer(request, 'payerfsp')
  assert.deepEqual(lastTo(`/bulkTransfers/${request.bulkTransferId}`).body, answer.body)
  assert.equal(asked.filter((a) => a === `credit ${paid!.transferId}`).length, 1, 'credited once')
})

test('the switch\'s final PUT /bulkTransfers/{id} tells the core each reserved item COMMITTED or ABORTED, once', async () => {
  const request = await quotedTransfer(['2551', '2552'])
  await bulk.answerBulkTransfer(request, 'payerfsp')
  const [a, b] = lastTo(`/bulkTransfers/${request.bulkTransferId}`).body.individualTransferResults! as { transferId: string; fulfilment?: string }[]
  const final = { bulkTransferState: 'COMPLETED', individualTransferResults: [{ transferId: a.transferId, fulfilment: a.fulfilment }, { transferId: b.transferId, errorInformation: { errorCode: '4200', errorDescription: 'Payer limit error' } }] }
  await bulk.finishBulk(request.bulkTransferId, final)
  await bulk.finishBulk(request.bulkTransferId, final)
  assert.deepEqual(asked.filter((x) => x.startsWith(`final ${a.transferId}`)), [`final ${a.transferId} COMMITTED`])
  assert.deepEqual(asked.filter((x) => x.startsWith(`final ${b.transferId}`)), [`final ${b.transferId} ABORTED`])
})

test('a bulk transfer a stop cut short (recorded, one item credited) is worked again at start: answered whole, the credited item not credited again', async () => {
  const request = await quotedTransfer(['2551', '2552'])
  const inbound = createInboundStore(db)
  await inbound.claim('bulkTransfer', request.bulkTransferId, 'payerfsp', request)
  // As if the first item was credited and answered just before the stop.
  const done = request.individualTransfers[0]!
  await makeBulkPayee().answerBulkTransfer({ ...request, bulkTransferId: randomUUID(), individualTransfers: [done] }, 'payerfsp')
  const creditsBefore = asked.filter((a) => a === `credit ${done.transferId}`).length
  await makeBulkPayee().recover()
  const answer = lastTo(`/bulkTransfers/${request.bulkTransferId}`)
  assert.ok(answer.body.individualTransferResults!.every((r) => r.fulfilment), JSON.stringify(answer.body))
  assert.equal(asked.filter((a) => a === `credit ${done.transferId}`).length, creditsBefore, 'the credited item is not credited again')
  assert.equal(asked.filter((a) => a === `credit ${request.individualTransfers[1]!.transferId}`).length, 1)
})
