// The payee half against a simulated MMP platform's own GSMA API and a real MariaDB (the connector's tables).
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes, randomUUID } from 'node:crypto'
import { loadConfig } from '../../switch/config/config.ts'
import { openDb, type Db } from '../../ledger/store/db.ts'
import { silentLogger } from '../../switch/observability/logger.ts'
import { FspiopFailure } from '../connector-core/fspiop-failure.ts'
import type { CreditRequest } from '../connector-core/payee-backend.ts'
import { Waiters } from '../connector-core/waiters.ts'
import { SimulatedMmp } from '../../test/support/simulated-mmp.ts'
import { openGsmaDb } from './gsma-db.ts'
import { createCreditStore } from './gsma-store.ts'
import { correlationIdFor, createMmpBackend } from './mmp-backend.ts'

const WALLET = '255788800008'
const database = `agora_gsma_backend_${randomBytes(3).toString('hex')}`
let db: Db
let mmp: SimulatedMmp
let backend: ReturnType<typeof createMmpBackend>

function credit(transferId: string, amount: string, to = WALLET): CreditRequest {
  return {
    transferId, amount: { amount, currency: 'USD' }, payerFsp: 'payerfsp',
    transaction: {
      transactionId: randomUUID(), quoteId: randomUUID(), amount: { amount, currency: 'USD' }, expiration: new Date(Date.now() + 30_000).toISOString(),
      payer: { partyIdInfo: { partyIdType: 'MSISDN', partyIdentifier: '255711000001', fspId: 'payerfsp' } },
      payee: { partyIdInfo: { partyIdType: 'MSISDN', partyIdentifier: to, fspId: 'mmp' } },
      transactionType: { scenario: 'TRANSFER', initiator: 'PAYER', initiatorType: 'CONSUMER' },
    } as CreditRequest['transaction'],
  }
}

before(async () => {
  mmp = new SimulatedMmp({ [WALLET]: '0' })
  await mmp.start()
  db = await openGsmaDb({ ...loadConfig().db, database })
  backend = createMmpBackend({ baseUrl: mmp.url, callbackBase: 'http://127.0.0.1:1' }, { credits: createCreditStore(db), waiters: new Waiters(), logger: silentLogger() })
})
after(async () => {
  await db?.destroy()
  const admin = openDb({ ...loadConfig().db, database: '' })
  await admin.raw('DROP DATABASE IF EXISTS ??', [database])
  await admin.destroy()
  await mmp?.close()
})

test('a lookup reads the MMP’s Account Holder Name object; an unknown account (identifierError) is FSPIOP 3204', async () => {
  const { party } = await backend.lookupParty('MSISDN', WALLET)
  assert.equal(party.name, `Wallet ${WALLET}`)
  assert.deepEqual(party.personalInfo, { complexName: { firstName: 'Wallet', lastName: WALLET } })
  await assert.rejects(backend.lookupParty('MSISDN', '255700000000'), (e: unknown) => e instanceof FspiopFailure && e.errorCode === '3204')
})

test('a credit answered 201 with a completed transaction is taken; asked again, the MMP is not asked twice', async () => {
  const id = randomUUID()
  const taken = await backend.credit(credit(id, '5.5'))
  assert.ok(taken.homeTransactionId)
  assert.deepEqual(await backend.credit(credit(id, '5.5')), taken)
  assert.equal(mmp.creditRequests.filter((c) => c.correlationId === id).length, 1)
  assert.equal(mmp.balance(WALLET), '5.5')
})

test('an MMP answering duplicateRequest (a retry after a lost answer) gives the first outcome through GET /responses/{X-CorrelationID}', async () => {
  const id = randomUUID()
  await backend.credit(credit(id, '1'))
  await db('gsma_payee_credits').where({ transfer_id: id }).update({ state: 'POSTED' })
  const again = await backend.credit(credit(id, '1'))
  assert.ok(again.homeTransactionId, 'the completed transaction found through the missing-response link')
  assert.equal(mmp.balance(WALLET), '6.5', 'credited once')
})

test('a refused credit is the FSPIOP code of the MMP’s error (identifierError → 3204)', async () => {
  await assert.rejects(backend.credit(credit(randomUUID(), '1', '255700000000')), (e: unknown) => e instanceof FspiopFailure && e.errorCode === '3204')
})

test('an abort after the MMP completed the credit asks the MMP for a reversal; a commit asks nothing', async () => {
  const aborted = randomUUID()
  const { homeTransactionId } = await backend.credit(credit(aborted, '2'))
  await backend.notifyFinal(aborted, 'ABORTED', {})
  assert.deepEqual(mmp.reversals.filter((r) => r === homeTransactionId), [homeTransactionId])
  assert.equal((await db('gsma_payee_credits').where({ transfer_id: aborted }).first()).state, 'REVERSAL_REQUESTED')
  const committed = randomUUID()
  await backend.credit(credit(committed, '3'))
  await backend.notifyFinal(committed, 'COMMITTED', {})
  assert.equal((await db('gsma_payee_credits').where({ transfer_id: committed }).first()).state, 'COMMITTED')
  assert.equal(mmp.balance(WALLET), '9.5')
})

test('a credit given up waiting for the MMP’s callback and completed later is reversed', async () => {
  const id = randomUUID()
  await db('gsma_payee_credits').insert({ transfer_id: id, correlation_id: correlationIdFor(id), state: 'ABANDONED' })
  const reference = (await backend.credit(credit(randomUUID(), '4'))).homeTransactionId!
  await backend.onCallback(id, { transactionReference: reference, transactionStatus: 'completed', amount: '4' })
  assert.ok(mmp.reversals.includes(reference))
  assert.equal((await db('gsma_payee_credits').where({ transfer_id: id }).first()).state, 'REVERSAL_REQUESTED')
})

test('a ULID transfer id becomes a stable UUID X-CorrelationID; a UUID one is used as it is', () => {
  const ulid = '01HZX3Q5V8N6W2K4M7P9R1T3Y5'
  assert.match(correlationIdFor(ulid), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/)
  assert.equal(correlationIdFor(ulid), correlationIdFor(ulid))
  const uuid = randomUUID()
  assert.equal(correlationIdFor(uuid), uuid)
})
