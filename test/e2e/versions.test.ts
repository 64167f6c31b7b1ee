// FSPIOP versions end to end, over real HTTP, Kafka and MariaDB. The hub answers a DFSP in the version it
// asked for in Accept ("the version of the API the client would like the server to use"), whatever its
// Content-Type; what one DFSP sends another is passed on with the sender's Content-Type and Accept, as
// Mojaloop's notification handler passes the original headers on (central-services-shared's header
// transformer rewrites Content-Type and Accept only on messages from the hub).
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import type { SwitchHarness } from '../support/switch-harness.ts'
import { startSwitchWithDfsps } from '../support/dfsp-pair.ts'
import type { ReceivedCallback, TestDfsp } from '../support/dfsp-server.ts'
import { fspiopHeaders, newTransfer, send } from '../support/fspiop-client.ts'
import { contentTypeFor, type FspiopVersion } from '../../switch/fspiop/headers.ts'
import { assertSwitchInvariants } from '../support/switch-invariants.ts'

let sw: SwitchHarness
let payer: TestDfsp
let payee: TestDfsp
let stop: () => Promise<void>

before(async () => {
  ;({ sw, payer, payee, stop } = await startSwitchWithDfsps('versions', ['payerfsp', 'payeefsp'], { ndc: '1000', fundsIn: '1000' }))
})
after(async () => {
  await assertSwitchInvariants(sw)
  await stop()
})

/** Headers of a request with a body in `content`, asking for `accept`. */
const asking = (resource: string, source: string, destination: string | undefined, content: FspiopVersion, accept: FspiopVersion) =>
  ({ ...fspiopHeaders(source, destination, content, resource), accept: contentTypeFor(resource, accept) })
const versionOf = (header: ReceivedCallback['headers'][string]) => /version=(\d+\.\d+)/.exec(String(header))?.[1]

describe('the hub answers in the version of the Accept header', () => {
  test('a v1.1 prepare whose Accept asks for v1.0 gets its error callback with the v1.0 content type', async () => {
    const t = newTransfer('payerfsp', 'payeefsp', '1001')
    assert.equal((await send(sw.apiUrl, 'POST', '/transfers', asking('transfers', 'payerfsp', 'payeefsp', '1.1', '1.0'), t.body)).status, 202)
    const callback = await payer.waitFor((c) => c.path === `/transfers/${t.transferId}/error`)
    assert.equal(callback.body.errorInformation.errorCode, '4200')
    assert.equal(callback.headers['content-type'], contentTypeFor('transfers', '1.0'))
  })

  test('a prepare with content 1.1 accepting 2.0 gets its error callback in 2.0', async () => {
    const t = newTransfer('payerfsp', 'payeefsp', '1002')
    assert.equal((await send(sw.apiUrl, 'POST', '/transfers', asking('transfers', 'payerfsp', 'payeefsp', '1.1', '2.0'), t.body)).status, 202)
    const callback = await payer.waitFor((c) => c.path === `/transfers/${t.transferId}/error`)
    assert.equal(callback.headers['content-type'], contentTypeFor('transfers', '2.0'))
  })

  test('a party registration with content 1.1 accepting 2.0 gets the hub\'s PUT /participants in 2.0', async () => {
    const headers = asking('participants', 'payeefsp', undefined, '1.1', '2.0')
    assert.equal((await send(sw.apiUrl, 'POST', '/participants/MSISDN/255700000200', headers, { fspId: 'payeefsp', currency: 'USD' })).status, 202)
    const callback = await payee.waitFor((c) => c.method === 'PUT' && c.path === '/participants/MSISDN/255700000200')
    assert.equal(callback.headers['content-type'], contentTypeFor('participants', '2.0'))
  })

  test('a GET of an unknown quote with content 1.0 accepting 1.1 gets its 3205 in 1.1', async () => {
    const quoteId = randomUUID()
    assert.equal((await send(sw.apiUrl, 'GET', `/quotes/${quoteId}`, asking('quotes', 'payerfsp', 'payeefsp', '1.0', '1.1'))).status, 202)
    const callback = await payer.waitFor((c) => c.path === `/quotes/${quoteId}/error`)
    assert.equal(callback.body.errorInformation.errorCode, '3205')
    assert.equal(callback.headers['content-type'], contentTypeFor('quotes', '1.1'))
  })

  test('a GET of a transfer is answered in its Accept\'s version, not its Content-Type\'s', async () => {
    const id = randomUUID()
    assert.equal((await send(sw.apiUrl, 'GET', `/transfers/${id}`, asking('transfers', 'payerfsp', undefined, '1.1', '1.0'))).status, 202)
    const callback = await payer.waitFor((c) => c.path === `/transfers/${id}/error`)
    assert.equal(callback.body.errorInformation.errorCode, '3208')
    assert.equal(callback.headers['content-type'], contentTypeFor('transfers', '1.0'))
  })
})

describe('what a DFSP sends another keeps its headers, as in Mojaloop', () => {
  test('a v1.1 prepare accepting v1.0 reaches the payee in v1.1 with Accept v1.0; the payee\'s v1.0 fulfil reaches the payer in v1.0', async () => {
    const t = newTransfer('payerfsp', 'payeefsp', '10')
    assert.equal((await send(sw.apiUrl, 'POST', '/transfers', asking('transfers', 'payerfsp', 'payeefsp', '1.1', '1.0'), t.body)).status, 202)
    const forwarded = await payee.waitFor((c) => c.method === 'POST' && c.body?.transferId === t.transferId)
    assert.equal(forwarded.headers['content-type'], contentTypeFor('transfers', '1.1'))
    assert.equal(forwarded.headers.accept, contentTypeFor('transfers', '1.0'))
    // The payee answers in the version the payer accepts; the switch passes its answer on as it was sent.
    const answerVersion = versionOf(forwarded.headers.accept) as FspiopVersion
    const headers = fspiopHeaders('payeefsp', 'payerfsp', answerVersion)
    delete headers.accept
    const fulfilled = { transferState: 'COMMITTED', fulfilment: t.fulfilment, completedTimestamp: new Date().toISOString() }
    assert.equal((await send(sw.apiUrl, 'PUT', `/transfers/${t.transferId}`, headers, fulfilled)).status, 200)
    const callback = await payer.waitFor((c) => c.method === 'PUT' && c.path === `/transfers/${t.transferId}`)
    assert.equal(callback.body.transferState, 'COMMITTED')
    assert.equal(callback.headers['content-type'], contentTypeFor('transfers', '1.0'))
  })

  test('a party lookup with content 1.0 accepting 1.1 reaches the holder with both as sent', async () => {
    assert.equal((await send(sw.apiUrl, 'POST', '/participants/MSISDN/255700000201', fspiopHeaders('payeefsp', undefined, '1.1', 'participants'), { fspId: 'payeefsp', currency: 'USD' })).status, 202)
    await payee.waitFor((c) => c.method === 'PUT' && c.path === '/participants/MSISDN/255700000201')
    assert.equal((await send(sw.apiUrl, 'GET', '/parties/MSISDN/255700000201', asking('parties', 'payerfsp', undefined, '1.0', '1.1'))).status, 202)
    const asked = await payee.waitFor((c) => c.method === 'GET' && c.path === '/parties/MSISDN/255700000201')
    assert.equal(asked.headers['content-type'], contentTypeFor('parties', '1.0'))
    assert.equal(asked.headers.accept, contentTypeFor('parties', '1.1'))
  })
})
