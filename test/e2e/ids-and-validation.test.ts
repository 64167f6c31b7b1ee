// Ids and request validation through the real switch (HTTP, Kafka, MariaDB): ULIDs on every content
// type, as Mojaloop's v2.0 CorrelationId allows, malformed ids refused, headers checked before bodies.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import type { SwitchHarness } from '../support/switch-harness.ts'
import { startSwitchWithDfsps } from '../support/dfsp-pair.ts'
import type { TestDfsp } from '../support/dfsp-server.ts'
import { fspiopHeaders, newTransfer, send } from '../support/fspiop-client.ts'
import { newUlid } from '../support/ids.ts'
import { conditionOf } from '../../ledger/domain/fulfilment.ts'
import type { FspiopVersion } from '../../switch/fspiop/headers.ts'
import { assertSwitchInvariants } from '../support/switch-invariants.ts'

let sw: SwitchHarness
let payer: TestDfsp
let payee: TestDfsp
let stop: () => Promise<void>

before(async () => {
  ;({ sw, payer, payee, stop } = await startSwitchWithDfsps('ids', ['payerfsp', 'payeefsp'], { ndc: '1000', fundsIn: '1000' }))
})
after(async () => {
  await assertSwitchInvariants(sw)
  await stop()
})

const callbackHeaders = (source: string, destination: string, version: FspiopVersion, resource = 'transfers') => {
  const headers = fspiopHeaders(source, destination, version, resource)
  delete headers.accept
  return headers
}

describe('ULIDs', () => {
  for (const version of ['1.0', '1.1', '2.0'] as const) {
    test(`a ULID transfer completes end to end on content type ${version}, as Mojaloop's v2.0 CorrelationId allows`, async () => {
      const transferId = newUlid()
      const t = newTransfer('payerfsp', 'payeefsp', '7', { transferId })
      assert.equal((await send(sw.apiUrl, 'POST', '/transfers', fspiopHeaders('payerfsp', 'payeefsp', version), t.body)).status, 202)
      await payee.waitFor((c) => c.method === 'POST' && c.path === '/transfers' && c.body.transferId === transferId)
      const fulfil = { transferState: 'COMMITTED', fulfilment: t.fulfilment, completedTimestamp: new Date().toISOString() }
      assert.equal((await send(sw.apiUrl, 'PUT', `/transfers/${transferId}`, callbackHeaders('payeefsp', 'payerfsp', version), fulfil)).status, 200)
      const done = await payer.waitFor((c) => c.method === 'PUT' && c.path === `/transfers/${transferId}`)
      assert.equal(done.body.transferState, 'COMMITTED')
      assert.equal((await sw.testDb.db('transfer').where({ id: transferId }).first()).state, 'COMMITTED')
      // A GET by the ULID finds it again.
      assert.equal((await send(sw.apiUrl, 'GET', `/transfers/${transferId}`, fspiopHeaders('payerfsp', undefined, version))).status, 202)
      const again = await payer.waitFor((c) => c.method === 'PUT' && c.path === `/transfers/${transferId}` && c !== done)
      assert.equal(again.body.transferState, 'COMMITTED')
    })
  }

  test('a ULID quote is routed to the payee and its answer back to the payer', async () => {
    const quoteId = newUlid()
    const quote = quoteRequest(quoteId)
    assert.equal((await send(sw.apiUrl, 'POST', '/quotes', fspiopHeaders('payerfsp', 'payeefsp', '1.1', 'quotes'), quote)).status, 202)
    await payee.waitFor((c) => c.method === 'POST' && c.path === '/quotes' && c.body.quoteId === quoteId)
    const fulfilment = randomBytes(32).toString('base64url')
    const answer = { transferAmount: { amount: '5', currency: 'USD' }, expiration: new Date(Date.now() + 60_000).toISOString(), ilpPacket: randomBytes(40).toString('base64url'), condition: conditionOf(fulfilment) }
    assert.equal((await send(sw.apiUrl, 'PUT', `/quotes/${quoteId}`, callbackHeaders('payeefsp', 'payerfsp', '1.1', 'quotes'), answer)).status, 200)
    assert.equal((await payer.waitFor((c) => c.path === `/quotes/${quoteId}`)).body.condition, answer.condition)
  })
})

function quoteRequest(quoteId: string) {
  return {
    quoteId, transactionId: newUlid(), amountType: 'SEND', amount: { amount: '5', currency: 'USD' },
    payee: { partyIdInfo: { partyIdType: 'MSISDN', partyIdentifier: '255123456', fspId: 'payeefsp' } },
    payer: { partyIdInfo: { partyIdType: 'MSISDN', partyIdentifier: '255999999', fspId: 'payerfsp' } },
    transactionType: { scenario: 'TRANSFER', initiator: 'PAYER', initiatorType: 'CONSUMER' },
  }
}

describe('refusals as Mojaloop gives them', () => {
  test('malformed ids are refused with 3100 in the body and in the path, and nothing is stored', async () => {
    for (const id of ['01hzx3ndektsv4rrffq69g5fav', 'B51EC534-EE48-4575-B6A9-EAD2955B8069', '1234']) {
      const t = newTransfer('payerfsp', 'payeefsp', '1', { transferId: id })
      const r = await send(sw.apiUrl, 'POST', '/transfers', fspiopHeaders('payerfsp', 'payeefsp', '1.1'), t.body)
      assert.equal(r.status, 400)
      assert.equal(r.body.errorInformation.errorCode, '3100')
      assert.match(r.body.errorInformation.errorDescription, /^Generic validation error - \/requestBody\/transferId must match pattern/)
      assert.equal(await sw.testDb.db('transfer').where({ id }).first(), undefined)
    }
    const put = await send(sw.apiUrl, 'PUT', '/transfers/not-an-id', callbackHeaders('payeefsp', 'payerfsp', '1.1'), { transferState: 'COMMITTED' })
    assert.equal(put.body.errorInformation.errorCode, '3100')
    assert.match(put.body.errorInformation.errorDescription, /^Generic validation error - \/path\/ID must match pattern/)
  })

  test('a missing header is reported before a bad body, named in lowercase', async () => {
    const headers = fspiopHeaders('payerfsp', 'payeefsp', '1.1')
    delete (headers as Record<string, string | undefined>).date
    const r = await send(sw.apiUrl, 'POST', '/transfers', headers, { transferId: 'x' })
    assert.equal(r.status, 400)
    assert.deepEqual(r.body.errorInformation, { errorCode: '3102', errorDescription: "Missing mandatory element - /header must have required property 'date'" })
  })

  test('POST /quotes without fspiop-destination is 3102, as the quoting service requires it, and nothing is forwarded', async () => {
    const quoteId = newUlid()
    const quote = quoteRequest(quoteId)
    const r = await send(sw.apiUrl, 'POST', '/quotes', fspiopHeaders('payerfsp', undefined, '1.1', 'quotes'), quote)
    assert.equal(r.status, 400)
    assert.deepEqual(r.body.errorInformation, { errorCode: '3102', errorDescription: "Missing mandatory element - /header must have required property 'fspiop-destination'" })
    assert.equal(await sw.testDb.db('quote').where({ id: quoteId }).first(), undefined)
  })

  test('an empty transferState is refused with 3100, and an extra property on v2.0 with 3103', async () => {
    const empty = await send(sw.apiUrl, 'PUT', `/transfers/${newUlid()}`, callbackHeaders('payeefsp', 'payerfsp', '1.1'), { transferState: '' })
    assert.equal(empty.body.errorInformation.errorDescription, 'Generic validation error - /requestBody/transferState must be equal to one of the allowed values')
    const t = newTransfer('payerfsp', 'payeefsp', '1', { transferId: newUlid() })
    const extra = await send(sw.apiUrl, 'POST', '/transfers', fspiopHeaders('payerfsp', 'payeefsp', '2.0'), { ...t.body, note: 'x' })
    assert.deepEqual(extra.body.errorInformation, { errorCode: '3103', errorDescription: 'Too many elements - /requestBody must NOT have additional properties' })
  })

  test('a Date that is not an HTTP date is 3101, and malformed JSON is 3101', async () => {
    const t = newTransfer('payerfsp', 'payeefsp', '1', { transferId: newUlid() })
    const badDate = await send(sw.apiUrl, 'POST', '/transfers', { ...fspiopHeaders('payerfsp', 'payeefsp', '1.1'), date: 'yesterday' }, t.body)
    assert.equal(badDate.body.errorInformation.errorCode, '3101')
    const broken = await fetch(`${sw.apiUrl}/transfers`, { method: 'POST', headers: fspiopHeaders('payerfsp', 'payeefsp', '1.1'), body: '{"transferId":' })
    assert.equal((await broken.json()).errorInformation.errorCode, '3101')
  })
})
