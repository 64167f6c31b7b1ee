// A whole payment over real HTTP, Kafka and MariaDB: the payer finds the payee's DFSP, gets a quote,
// and transfers; plus the error paths of lookup and quotes.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes, randomUUID } from 'node:crypto'
import type { SwitchHarness } from '../support/switch-harness.ts'
import { startSwitchWithDfsps } from '../support/dfsp-pair.ts'
import type { TestDfsp } from '../support/dfsp-server.ts'
import Fastify from 'fastify'
import { alsAdmin } from '../support/als-admin.ts'
import { fspiopHeaders, fulfil, newTransfer, prepare, send } from '../support/fspiop-client.ts'
import { conditionOf } from '../../ledger/domain/fulfilment.ts'
import { assertSwitchInvariants } from '../support/switch-invariants.ts'

let sw: SwitchHarness
let payer: TestDfsp
let payee: TestDfsp
let stop: () => Promise<void>
const h = (resource: string, source: string, destination?: string) => fspiopHeaders(source, destination, '1.1', resource)
const callbackHeaders = (resource: string, source: string, destination?: string) => {
  const headers = h(resource, source, destination)
  delete headers.accept
  return headers
}

before(async () => {
  ;({ sw, payer, payee, stop } = await startSwitchWithDfsps('lookup', ['payerfsp', 'payeefsp'], { ndc: '1000', fundsIn: '1000' }))
  // The payee DFSP registers its customer with the switch's oracle.
  assert.equal((await send(sw.apiUrl, 'POST', '/participants/MSISDN/255123456', h('participants', 'payeefsp'), { fspId: 'payeefsp', currency: 'USD' })).status, 202)
  await payee.waitFor((c) => c.path === '/participants/MSISDN/255123456' && c.body.partyList[0].fspId === 'payeefsp')
})
after(async () => stop())

describe('a payment: lookup, quote, transfer', () => {
  test('the payer finds the payee, gets a quote with a condition, and the transfer commits', async () => {
    // Lookup: GET /parties goes to the payee DFSP; its PUT comes back to the payer.
    assert.equal((await send(sw.apiUrl, 'GET', '/parties/MSISDN/255123456', h('parties', 'payerfsp'))).status, 202)
    const asked = await payee.waitFor((c) => c.method === 'GET' && c.path === '/parties/MSISDN/255123456')
    assert.equal(asked.headers['fspiop-source'], 'payerfsp')
    const party = { party: { partyIdInfo: { partyIdType: 'MSISDN', partyIdentifier: '255123456', fspId: 'payeefsp' }, name: 'Amina' } }
    assert.equal((await send(sw.apiUrl, 'PUT', '/parties/MSISDN/255123456', callbackHeaders('parties', 'payeefsp', 'payerfsp'), party)).status, 200)
    const found = await payer.waitFor((c) => c.method === 'PUT' && c.path === '/parties/MSISDN/255123456')
    assert.equal(found.body.party.name, 'Amina')

    // Quote: POST /quotes goes to the payee, its PUT with the condition comes back.
    const quoteId = randomUUID()
    const transactionId = randomUUID()
    const quote = {
      quoteId, transactionId, amountType: 'SEND', amount: { amount: '75', currency: 'USD' },
      payee: { partyIdInfo: { partyIdType: 'MSISDN', partyIdentifier: '255123456', fspId: 'payeefsp' } },
      payer: { partyIdInfo: { partyIdType: 'MSISDN', partyIdentifier: '255999999', fspId: 'payerfsp' } },
      transactionType: { scenario: 'TRANSFER', initiator: 'PAYER', initiatorType: 'CONSUMER' },
    }
    assert.equal((await send(sw.apiUrl, 'POST', '/quotes', h('quotes', 'payerfsp', 'payeefsp'), quote)).status, 202)
    await payee.waitFor((c) => c.method === 'POST' && c.path === '/quotes' && c.body.quoteId === quoteId)
    const fulfilment = randomBytes(32).toString('base64url')
    const answer = { transferAmount: { amount: '75', currency: 'USD' }, expiration: new Date(Date.now() + 60_000).toISOString(), ilpPacket: randomBytes(40).toString('base64url'), condition: conditionOf(fulfilment) }
    assert.equal((await send(sw.apiUrl, 'PUT', `/quotes/${quoteId}`, callbackHeaders('quotes', 'payeefsp', 'payerfsp'), answer)).status, 200)
    const quoted = await payer.waitFor((c) => c.path === `/quotes/${quoteId}`)
    assert.equal(quoted.body.condition, answer.condition)

    // Transfer with the quote's condition.
    const t = newTransfer('payerfsp', 'payeefsp', '75')
    t.fulfilment = fulfilment
    t.body.condition = answer.condition
    t.body.ilpPacket = answer.ilpPacket
    await prepare(sw.apiUrl, t)
    await payee.waitFor((c) => c.method === 'POST' && c.path === '/transfers' && c.body.transferId === t.transferId)
    await fulfil(sw.apiUrl, t)
    const done = await payer.waitFor((c) => c.path === `/transfers/${t.transferId}`)
    assert.equal(done.body.transferState, 'COMMITTED')
    assert.equal((await sw.testDb.db('quote').where({ id: quoteId }).first()).state, 'ACCEPTED')
    await assertSwitchInvariants(sw)
  })
})

describe('oracles', () => {
  test('a party id type with a registered external oracle is looked up there', async () => {
    const oracle = Fastify()
    oracle.get<{ Params: { Type: string; ID: string } }>('/participants/:Type/:ID', async (request, reply) =>
      request.params.ID === 'amina@example.org' ? { partyList: [{ fspId: 'payeefsp' }] } : reply.code(404).send({}))
    await oracle.listen({ host: '127.0.0.1', port: 0 })
    try {
      const endpoint = `http://127.0.0.1:${(oracle.server.address() as { port: number }).port}`
      const created = await alsAdmin(sw.admin, 'POST', '/oracles', { oracleIdType: 'EMAIL', endpoint: { value: endpoint, endpointType: 'URL' }, currency: 'USD', isDefault: true })
      assert.equal(created.status, 201)
      assert.equal((await alsAdmin(sw.admin, 'GET', '/oracles?type=EMAIL')).body[0].endpoint.value, endpoint)
      await send(sw.apiUrl, 'GET', '/parties/EMAIL/amina@example.org', h('parties', 'payerfsp'))
      await payee.waitFor((c) => c.method === 'GET' && c.path === '/parties/EMAIL/amina%40example.org')
      await send(sw.apiUrl, 'GET', '/parties/EMAIL/nobody@example.org', h('parties', 'payerfsp'))
      assert.equal((await payer.waitFor((c) => c.path.startsWith('/parties/EMAIL/nobody') && c.path.endsWith('/error'))).body.errorInformation.errorCode, '3204')
    } finally {
      await oracle.close()
    }
  })
})

describe('errors', () => {
  test('an unknown party is 3204 to the payer; an unknown participant lookup too', async () => {
    await send(sw.apiUrl, 'GET', '/parties/MSISDN/000', h('parties', 'payerfsp'))
    assert.equal((await payer.waitFor((c) => c.path === '/parties/MSISDN/000/error')).body.errorInformation.errorCode, '3204')
    await send(sw.apiUrl, 'GET', '/participants/MSISDN/000', h('participants', 'payerfsp'))
    assert.equal((await payer.waitFor((c) => c.path === '/participants/MSISDN/000/error')).body.errorInformation.errorCode, '3204')
  })

  test('a party held by another DFSP cannot be registered again (3003); only its holder can remove it', async () => {
    await send(sw.apiUrl, 'POST', '/participants/MSISDN/255123456', h('participants', 'payerfsp'), { fspId: 'payerfsp' })
    assert.equal((await payer.waitFor((c) => c.path === '/participants/MSISDN/255123456/error')).body.errorInformation.errorCode, '3003')
    await send(sw.apiUrl, 'DELETE', '/participants/MSISDN/255123456', h('participants', 'payerfsp'))
    await payer.waitFor((c) => c.path === '/participants/MSISDN/255123456/error' && c.body.errorInformation.errorCode === '3040')
    assert.equal((await sw.testDb.db('oracle_party').where({ party_id: '255123456' }).first()).fsp_id, 'payeefsp')
  })

  test('the payee\'s error to a lookup is routed back to the payer', async () => {
    await send(sw.apiUrl, 'GET', '/parties/MSISDN/255123456', h('parties', 'payerfsp'))
    await send(sw.apiUrl, 'PUT', '/parties/MSISDN/255123456/error', callbackHeaders('parties', 'payeefsp', 'payerfsp'), { errorInformation: { errorCode: '3204', errorDescription: 'Party not found' } })
    const error = await payer.waitFor((c) => c.path === '/parties/MSISDN/255123456/error' && c.headers['fspiop-source'] === 'payeefsp')
    assert.equal(error.body.errorInformation.errorCode, '3204')
  })

  test('bad quotes: unknown payee and unsupported currency are answered 202 and then 3201 to the payer, as quoting-service does; expired, malformed, duplicate with other content', async () => {
    const base = {
      quoteId: randomUUID(), transactionId: randomUUID(), amountType: 'SEND', amount: { amount: '5', currency: 'USD' },
      payee: { partyIdInfo: { partyIdType: 'MSISDN', partyIdentifier: '1' } }, payer: { partyIdInfo: { partyIdType: 'MSISDN', partyIdentifier: '2' } },
      transactionType: { scenario: 'TRANSFER', initiator: 'PAYER', initiatorType: 'CONSUMER' },
    }
    const code = async (headers: Record<string, string>, body: unknown) => (await send(sw.apiUrl, 'POST', '/quotes', headers, body)).body?.errorInformation?.errorCode
    const refusedLater = async (headers: Record<string, string>, body: typeof base, description: string) => {
      assert.equal((await send(sw.apiUrl, 'POST', '/quotes', headers, body)).status, 202)
      const error = await payer.waitFor((c) => c.path === `/quotes/${body.quoteId}/error`)
      assert.deepEqual(error.body.errorInformation, { errorCode: '3201', errorDescription: description })
      assert.equal(error.headers['fspiop-source'], 'Hub')
    }
    await refusedLater(h('quotes', 'payerfsp', 'nobody'), { ...base, quoteId: randomUUID() }, "Destination FSP Error - Unsupported participant 'nobody'")
    await refusedLater(h('quotes', 'payerfsp', 'payeefsp'), { ...base, quoteId: randomUUID(), amount: { amount: '5', currency: 'EUR' } }, "Destination FSP Error - Unsupported participant 'payeefsp'")
    assert.equal(await code(h('quotes', 'payerfsp', 'payeefsp'), { ...base, expiration: new Date(Date.now() - 1000).toISOString() }), '3302')
    assert.equal(await code(h('quotes', 'payerfsp', 'payeefsp'), { ...base, amount: { amount: '5.123', currency: 'USD' } }), '3100')
    assert.equal(await code(h('quotes', 'payerfsp', 'payeefsp'), { ...base, quoteId: 'x' }), '3100')
    assert.equal((await send(sw.apiUrl, 'POST', '/quotes', h('quotes', 'payerfsp', 'payeefsp'), base)).status, 202)
    await payee.waitFor((c) => c.path === '/quotes' && c.body.quoteId === base.quoteId)
    await send(sw.apiUrl, 'POST', '/quotes', h('quotes', 'payerfsp', 'payeefsp'), { ...base, amount: { amount: '6', currency: 'USD' } })
    assert.equal((await payer.waitFor((c) => c.path === `/quotes/${base.quoteId}/error`)).body.errorInformation.errorCode, '3106')
    await send(sw.apiUrl, 'GET', `/quotes/${randomUUID()}`, h('quotes', 'payerfsp'))
    await payer.waitFor((c) => c.path.endsWith('/error') && c.path.startsWith('/quotes/') && c.body.errorInformation.errorCode === '3205')
  })

  test('transaction requests and authorizations are routed between the DFSPs', async () => {
    const id = randomUUID()
    const request = { transactionRequestId: id, payee: { partyIdInfo: { partyIdType: 'MSISDN', partyIdentifier: '1', fspId: 'payeefsp' } }, payer: { partyIdType: 'MSISDN', partyIdentifier: '2', fspId: 'payerfsp' }, amount: { amount: '5', currency: 'USD' }, transactionType: { scenario: 'PAYMENT', initiator: 'PAYEE', initiatorType: 'BUSINESS' } }
    assert.equal((await send(sw.apiUrl, 'POST', '/transactionRequests', h('transactionRequests', 'payeefsp', 'payerfsp'), request)).status, 202)
    await payer.waitFor((c) => c.method === 'POST' && c.path === '/transactionRequests' && c.body.transactionRequestId === id)
    await send(sw.apiUrl, 'PUT', `/transactionRequests/${id}`, callbackHeaders('transactionRequests', 'payerfsp', 'payeefsp'), { transactionRequestState: 'RECEIVED' })
    await payee.waitFor((c) => c.path === `/transactionRequests/${id}`)
    await send(sw.apiUrl, 'GET', `/authorizations/${id}?authenticationType=OTP&retriesLeft=1&amount=5&currency=USD`, h('authorizations', 'payerfsp', 'payeefsp'))
    await payee.waitFor((c) => c.method === 'GET' && c.path.startsWith(`/authorizations/${id}?authenticationType=OTP`))
  })
})
