// FSPIOP v2.0 fxQuotes and the FXP directory over real HTTP, Kafka and MariaDB: the initiating DFSP's
// POST /fxQuotes goes to the FXP, the FXP's PUT comes back (quoting-service's fxQuotes model), with its
// refusals and duplicate rules; GET /services/FXP names the FXPs (switch/fx/fxp-directory.ts).
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes, randomUUID } from 'node:crypto'
import { startSwitch, type SwitchHarness } from '../support/switch-harness.ts'
import { startTestDfsp, type ReceivedCallback, type TestDfsp } from '../support/dfsp-server.ts'
import { onboardDfsp, onboardFxp, setupHub } from '../support/fixtures.ts'
import { fspiopHeaders, send } from '../support/fspiop-client.ts'
import type { FspiopVersion } from '../../switch/fspiop/headers.ts'

let sw: SwitchHarness
let payer: TestDfsp
let fxp: TestDfsp
const h = (source: string, destination?: string, version: FspiopVersion = '2.0', resource = 'fxQuotes') => fspiopHeaders(source, destination, version, resource)
const callbackHeaders = (source: string, destination: string) => {
  const headers = h(source, destination)
  delete headers.accept
  return headers
}
const signature = JSON.stringify({ signature: 'c2lnbmVkLWJ5LXRoZS1wYXllcg', protectedHeader: 'eyJhbGciOiJSUzI1NiJ9' })

function fxQuoteRequest(opts: { counterPartyFsp?: string; initiatingFsp?: string; sourceAmount?: string; targetCurrency?: string } = {}) {
  return {
    conversionRequestId: randomUUID(),
    conversionTerms: {
      conversionId: randomUUID(), determiningTransferId: randomUUID(), initiatingFsp: opts.initiatingFsp ?? 'payerfsp', counterPartyFsp: opts.counterPartyFsp ?? 'fxpusdtzs',
      amountType: 'SEND', sourceAmount: { currency: 'USD', amount: opts.sourceAmount ?? '100' }, targetAmount: { currency: opts.targetCurrency ?? 'TZS' },
      expiration: new Date(Date.now() + 60_000).toISOString(),
    },
  }
}

function fxpAnswer(request: ReturnType<typeof fxQuoteRequest>) {
  return {
    condition: randomBytes(32).toString('base64url'),
    conversionTerms: { ...request.conversionTerms, sourceAmount: { currency: 'USD', amount: '100' }, targetAmount: { currency: 'TZS', amount: '265000' }, charges: [] },
  }
}

const errorFor = (dfsp: TestDfsp, id: string) => dfsp.waitFor((c) => c.method === 'PUT' && c.path === `/fxQuotes/${id}/error`)
const codeOf = (c: ReceivedCallback) => c.body.errorInformation.errorCode

before(async () => {
  sw = await startSwitch('fxquotes')
  payer = await startTestDfsp('payerfsp')
  fxp = await startTestDfsp('fxpusdtzs')
  await setupHub(sw.admin, 'USD')
  await onboardDfsp(sw.admin, { name: 'payerfsp', currency: 'USD', ndc: '1000', fundsIn: '1000', endpointBase: payer.url })
  await onboardFxp(sw.admin, { name: 'fxpusdtzs', currencies: ['USD', 'TZS'], ndc: { USD: '1000', TZS: '3000000' }, fundsIn: { USD: '1000', TZS: '3000000' }, endpointBase: fxp.url })
})
after(async () => {
  await sw?.stop()
  await payer?.close()
  await fxp?.close()
})

describe('POST /fxQuotes goes to the FXP and its PUT back to the initiating DFSP (quoting-service fxQuotes)', () => {
  test('the request reaches the FXP named by FSPIOP-Destination with the sender\'s headers and signature, and the FXP\'s answer reaches the initiating DFSP', async () => {
    const request = fxQuoteRequest()
    const id = request.conversionRequestId
    assert.equal((await send(sw.apiUrl, 'POST', '/fxQuotes', { ...h('payerfsp', 'fxpusdtzs'), 'fspiop-signature': signature }, request)).status, 202)
    const asked = await fxp.waitFor((c) => c.method === 'POST' && c.path === '/fxQuotes' && c.body.conversionRequestId === id)
    assert.deepEqual(asked.body, request)
    assert.equal(asked.headers['content-type'], 'application/vnd.interoperability.fxQuotes+json;version=2.0')
    assert.equal(asked.headers['fspiop-source'], 'payerfsp')
    assert.equal(asked.headers['fspiop-destination'], 'fxpusdtzs')
    assert.equal(asked.headers['fspiop-signature'], signature)

    const answer = fxpAnswer(request)
    const answerSignature = JSON.stringify({ signature: 'c2lnbmVkLWJ5LXRoZS1meHA', protectedHeader: 'eyJhbGciOiJSUzI1NiJ9' })
    assert.equal((await send(sw.apiUrl, 'PUT', `/fxQuotes/${id}`, { ...callbackHeaders('fxpusdtzs', 'payerfsp'), 'fspiop-signature': answerSignature }, answer)).status, 200)
    const answered = await payer.waitFor((c) => c.method === 'PUT' && c.path === `/fxQuotes/${id}`)
    assert.deepEqual(answered.body, answer)
    assert.equal(answered.headers['fspiop-source'], 'fxpusdtzs')
    assert.equal(answered.headers['fspiop-destination'], 'payerfsp')
    assert.equal(answered.headers['fspiop-signature'], answerSignature)
    assert.equal(answered.headers['content-type'], 'application/vnd.interoperability.fxQuotes+json;version=2.0')

    // GET /fxQuotes/{ID} once answered: the hub sends the stored answer again.
    const get = h('payerfsp', 'fxpusdtzs')
    assert.equal((await send(sw.apiUrl, 'GET', `/fxQuotes/${id}`, get)).status, 202)
    const resent = await payer.waitFor((c) => c.method === 'PUT' && c.path === `/fxQuotes/${id}` && c !== answered)
    assert.deepEqual(resent.body, answer)
    assert.equal(resent.headers['fspiop-source'], 'Hub')

    // The same request again (same hash) once answered: the answer is resent; another body under the id: 3106.
    assert.equal((await send(sw.apiUrl, 'POST', '/fxQuotes', h('payerfsp', 'fxpusdtzs'), request)).status, 202)
    await payer.waitFor((c) => c.method === 'PUT' && c.path === `/fxQuotes/${id}` && c !== answered && c !== resent)
    const modified = { ...request, conversionTerms: { ...request.conversionTerms, sourceAmount: { currency: 'USD', amount: '101' } } }
    assert.equal((await send(sw.apiUrl, 'POST', '/fxQuotes', h('payerfsp', 'fxpusdtzs'), modified)).status, 202)
    assert.equal(codeOf(await errorFor(payer, id)), '3106')
  })

  test('GET /fxQuotes/{ID} not yet answered is passed to the FXP', async () => {
    const request = fxQuoteRequest()
    const id = request.conversionRequestId
    assert.equal((await send(sw.apiUrl, 'POST', '/fxQuotes', h('payerfsp', 'fxpusdtzs'), request)).status, 202)
    await fxp.waitFor((c) => c.method === 'POST' && c.body.conversionRequestId === id)
    const get = h('payerfsp', 'fxpusdtzs')
    assert.equal((await send(sw.apiUrl, 'GET', `/fxQuotes/${id}`, get)).status, 202)
    const passed = await fxp.waitFor((c) => c.method === 'GET' && c.path === `/fxQuotes/${id}`)
    assert.equal(passed.headers['fspiop-source'], 'payerfsp')
  })

  test('the FXP\'s error callback reaches the initiating DFSP', async () => {
    const request = fxQuoteRequest()
    const id = request.conversionRequestId
    assert.equal((await send(sw.apiUrl, 'POST', '/fxQuotes', h('payerfsp', 'fxpusdtzs'), request)).status, 202)
    await fxp.waitFor((c) => c.method === 'POST' && c.body.conversionRequestId === id)
    const error = { errorInformation: { errorCode: '5100', errorDescription: 'Generic FXP error' } }
    assert.equal((await send(sw.apiUrl, 'PUT', `/fxQuotes/${id}/error`, callbackHeaders('fxpusdtzs', 'payerfsp'), error)).status, 200)
    const forwarded = await errorFor(payer, id)
    assert.deepEqual(forwarded.body, error)
    assert.equal(forwarded.headers['fspiop-source'], 'fxpusdtzs')
  })

  test('only the FXP asked answers an fxQuote (3100 to whoever else sends the PUT)', async () => {
    const request = fxQuoteRequest()
    const id = request.conversionRequestId
    assert.equal((await send(sw.apiUrl, 'POST', '/fxQuotes', h('payerfsp', 'fxpusdtzs'), request)).status, 202)
    await fxp.waitFor((c) => c.method === 'POST' && c.body.conversionRequestId === id)
    assert.equal((await send(sw.apiUrl, 'PUT', `/fxQuotes/${id}`, callbackHeaders('payerfsp', 'fxpusdtzs'), fxpAnswer(request))).status, 200)
    assert.equal(codeOf(await errorFor(payer, id)), '3100')
  })
})

describe('refusals of POST /fxQuotes', () => {
  test('an FXP that is no participant is refused as quoting-service refuses an unsupported counter-party: 3100 "Unsupported participant" to the initiating DFSP', async () => {
    const request = fxQuoteRequest({ counterPartyFsp: 'nosuchfxp' })
    assert.equal((await send(sw.apiUrl, 'POST', '/fxQuotes', h('payerfsp', 'nosuchfxp'), request)).status, 202)
    const refused = await errorFor(payer, request.conversionRequestId)
    assert.equal(codeOf(refused), '3100')
    assert.match(refused.body.errorInformation.errorDescription, /Unsupported participant 'nosuchfxp'/)
    assert.equal(refused.headers['fspiop-source'], 'Hub')
  })

  test('a counter-party without an active POSITION account in the target currency is refused (3100)', async () => {
    const request = fxQuoteRequest({ counterPartyFsp: 'fxpusdtzs', targetCurrency: 'KES' })
    assert.equal((await send(sw.apiUrl, 'POST', '/fxQuotes', h('payerfsp', 'fxpusdtzs'), request)).status, 202)
    assert.equal(codeOf(await errorFor(payer, request.conversionRequestId)), '3100')
    assert.equal(fxp.received.some((c) => c.body?.conversionRequestId === request.conversionRequestId), false)
  })

  test('FSPIOP-Source must be conversionTerms.initiatingFsp (3100, at once)', async () => {
    const request = fxQuoteRequest({ initiatingFsp: 'someoneelse' })
    const r = await send(sw.apiUrl, 'POST', '/fxQuotes', h('payerfsp', 'fxpusdtzs'), request)
    assert.equal(r.status, 400)
    assert.equal(r.body.errorInformation.errorCode, '3100')
  })

  test('FSPIOP-Destination must be conversionTerms.counterPartyFsp (3100, at once)', async () => {
    const r = await send(sw.apiUrl, 'POST', '/fxQuotes', h('payerfsp', 'payerfsp'), fxQuoteRequest())
    assert.equal(r.status, 400)
    assert.equal(r.body.errorInformation.errorCode, '3100')
  })

  test('fxQuotes are FSPIOP v2.0 only: a v1.1 content type is an unsupported version (406, 3001, 2.0 in the extension list)', async () => {
    const r = await send(sw.apiUrl, 'POST', '/fxQuotes', h('payerfsp', 'fxpusdtzs', '1.1'), fxQuoteRequest())
    assert.equal(r.status, 406)
    assert.equal(r.body.errorInformation.errorCode, '3001')
    assert.deepEqual(r.body.errorInformation.extensionList.extension, [{ key: '2', value: '0' }])
  })

  test('a body that breaks the v2.0 definition (no conversionTerms) is refused at once (3100-range)', async () => {
    const r = await send(sw.apiUrl, 'POST', '/fxQuotes', h('payerfsp', 'fxpusdtzs'), { conversionRequestId: randomUUID() })
    assert.equal(r.status, 400)
    assert.match(r.body.errorInformation.errorCode, /^31/)
  })
})

describe('GET /services/FXP: FXPs are active participants with an FX quotes endpoint and active POSITION accounts in at least two currencies', () => {
  const servicesGet = (source: string) => {
    const headers = h(source, undefined, '2.0', 'services')
    return headers
  }

  test('the FXP with POSITION accounts in USD and TZS is listed for GET /services/FXP and for USD/TZS', async () => {
    assert.equal((await send(sw.apiUrl, 'GET', '/services/FXP', servicesGet('payerfsp'))).status, 202)
    const all = await payer.waitFor((c) => c.method === 'PUT' && c.path === '/services/FXP')
    assert.deepEqual(all.body, { providers: ['fxpusdtzs'] })
    assert.equal(all.headers['content-type'], 'application/vnd.interoperability.services+json;version=2.0')
    assert.equal(all.headers['fspiop-source'], 'Hub')

    assert.equal((await send(sw.apiUrl, 'GET', '/services/FXP/USD/TZS', servicesGet('payerfsp'))).status, 202)
    const pair = await payer.waitFor((c) => c.method === 'PUT' && c.path === '/services/FXP/USD/TZS')
    assert.deepEqual(pair.body, { providers: ['fxpusdtzs'] })
  })

  test('no FXP serves USD/KES: the answer is the v2.0 definition\'s blank list, not an error', async () => {
    assert.equal((await send(sw.apiUrl, 'GET', '/services/FXP/USD/KES', servicesGet('payerfsp'))).status, 202)
    const none = await payer.waitFor((c) => c.method === 'PUT' && c.path === '/services/FXP/USD/KES')
    assert.deepEqual(none.body, { providers: [] })
  })

  test('the requester is not its own FXP', async () => {
    assert.equal((await send(sw.apiUrl, 'GET', '/services/FXP/TZS/USD', servicesGet('fxpusdtzs'))).status, 202)
    const own = await fxp.waitFor((c) => c.method === 'PUT' && c.path === '/services/FXP/TZS/USD')
    assert.deepEqual(own.body, { providers: [] })
  })

  test('a currency that is no ISO 4217 code is refused at once by the definition\'s Currency type', async () => {
    const r = await send(sw.apiUrl, 'GET', '/services/FXP/USD/XYZ1', servicesGet('payerfsp'))
    assert.equal(r.status, 400)
  })

  test('services/FXP is FSPIOP v2.0 only (406, 3001)', async () => {
    const headers = h('payerfsp', undefined, '1.1', 'services')
    const r = await send(sw.apiUrl, 'GET', '/services/FXP', headers)
    assert.equal(r.status, 406)
    assert.equal(r.body.errorInformation.errorCode, '3001')
  })
})
