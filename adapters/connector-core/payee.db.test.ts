// The payee half against its real database (MariaDB), with the switch and the core replaced by
// recorders: a repeated quote or prepare (same id) is answered with the first answer and the core is
// asked once; a prepare whose packet is not this payee's is refused without asking the core.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes, randomUUID } from 'node:crypto'
import { loadConfig } from '../../switch/config/config.ts'
import { silentLogger } from '../../switch/observability/logger.ts'
import type { Db } from '../../ledger/store/db.ts'
import { openConnectorDb } from './connector-db.ts'
import { createPayee, type Payee } from './payee.ts'
import { createInboundStore } from './payment-store.ts'
import type { PayeeBackend } from './payee-backend.ts'
import type { SwitchClient } from './switch-client.ts'

let db: Db
let payee: Payee
const sent: { method: string; path: string; body: any }[] = []
const asked: string[] = []
const database = `agora_connector_unit_${randomBytes(3).toString('hex')}`

const backend: PayeeBackend = {
  async lookupParty(idType, idValue) { asked.push(`party ${idValue}`); return { party: { partyIdInfo: { partyIdType: idType, partyIdentifier: idValue }, name: 'Zawadi' } } },
  async quote(q) { asked.push(`quote ${q.quoteId}`); return { transferAmount: q.amount } },
  async credit(c) { asked.push(`credit ${c.transferId}`); return {} },
  async notifyFinal(id, state) { asked.push(`final ${id} ${state}`) },
}
const client = { async send(method: string, path: string, _resource: string, body: any) { sent.push({ method, path, body }); return { status: 200, body: undefined } } } as unknown as SwitchClient

const quoteRequest = () => ({
  quoteId: randomUUID(), transactionId: randomUUID(), amountType: 'SEND', amount: { amount: '10', currency: 'USD' },
  payee: { partyIdInfo: { partyIdType: 'MSISDN', partyIdentifier: '2557', fspId: 'payeefsp' } },
  payer: { partyIdInfo: { partyIdType: 'MSISDN', partyIdentifier: '2551', fspId: 'payerfsp' } },
  transactionType: { scenario: 'TRANSFER', initiator: 'PAYER', initiatorType: 'CONSUMER' },
})

before(async () => {
  db = await openConnectorDb({ ...loadConfig().db, database, poolMax: 3 })
  payee = createPayee({ fspId: 'payeefsp', ilpSecret: 'secret', ilpAddress: 'g.agora.payeefsp', backend, inbound: createInboundStore(db), client, logger: silentLogger() })
})
after(async () => {
  await db.raw('DROP DATABASE IF EXISTS ??', [database])
  await db.destroy()
})

async function quoted(request: ReturnType<typeof quoteRequest>) {
  await payee.answerQuote(request, 'payerfsp')
  return sent.at(-1)!.body
}

test('a repeated POST /quotes (same quoteId) gets the first answer again, condition and all; the core quotes once', async () => {
  const request = quoteRequest()
  const first = await quoted(request)
  const again = await quoted(request)
  assert.deepEqual(again, first)
  assert.deepEqual(asked.filter((a) => a === `quote ${request.quoteId}`), [`quote ${request.quoteId}`])
})

test('a repeated prepare (same transferId) is fulfilled again the same way; the core takes the credit once', async () => {
  const request = quoteRequest()
  const terms = await quoted(request)
  const prepare = { transferId: randomUUID(), payerFsp: 'payerfsp', payeeFsp: 'payeefsp', amount: request.amount, ilpPacket: terms.ilpPacket, condition: terms.condition, expiration: new Date(Date.now() + 60_000).toISOString() }
  await payee.answerPrepare(prepare, 'payerfsp')
  const first = sent.at(-1)!
  await payee.answerPrepare(prepare, 'payerfsp')
  assert.deepEqual(sent.at(-1), first)
  assert.equal(first.path, `/transfers/${prepare.transferId}`)
  assert.equal(first.body.transferState, 'RESERVED')
  assert.deepEqual(asked.filter((a) => a === `credit ${prepare.transferId}`), [`credit ${prepare.transferId}`])
  await payee.finish(prepare.transferId, 'COMMITTED', {})
  await payee.finish(prepare.transferId, 'COMMITTED', {})
  assert.deepEqual(asked.filter((a) => a.startsWith(`final ${prepare.transferId}`)), [`final ${prepare.transferId} COMMITTED`], 'the core hears the final state once')
})

test('a prepare with a packet this payee did not make, or past its expiration, is refused without asking the core', async () => {
  const request = quoteRequest()
  const terms = await quoted(request)
  const base = { payerFsp: 'payerfsp', payeeFsp: 'payeefsp', amount: request.amount, ilpPacket: terms.ilpPacket, condition: terms.condition, expiration: new Date(Date.now() + 60_000).toISOString() }
  const tampered = { ...base, transferId: randomUUID(), amount: { amount: '1000', currency: 'USD' } }
  await payee.answerPrepare(tampered, 'payerfsp')
  assert.equal(sent.at(-1)!.path, `/transfers/${tampered.transferId}/error`)
  assert.equal(sent.at(-1)!.body.errorInformation.errorCode, '3106')
  const late = { ...base, transferId: randomUUID(), expiration: new Date(Date.now() - 1000).toISOString() }
  await payee.answerPrepare(late, 'payerfsp')
  assert.equal(sent.at(-1)!.body.errorInformation.errorCode, '3303')
  assert.ok(!asked.includes(`credit ${tampered.transferId}`) && !asked.includes(`credit ${late.transferId}`))
})
