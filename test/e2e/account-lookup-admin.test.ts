// The account-lookup admin API (/oracles) and registrations by the hub operator, through the real switch,
// as Mojaloop's account-lookup-service answers them (admin-swagger.yaml, domain/oracle/oracle.js,
// domain/participants/participants.js).
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import Fastify, { type FastifyInstance } from 'fastify'
import type { SwitchHarness } from '../support/switch-harness.ts'
import { startSwitchWithDfsps } from '../support/dfsp-pair.ts'
import { startTestDfsp, type TestDfsp } from '../support/dfsp-server.ts'
import { call } from '../support/fixtures.ts'
import { fspiopHeaders, send } from '../support/fspiop-client.ts'
import { alsAdmin, alsAdminHeaders } from '../support/als-admin.ts'
import { endpointTemplates } from '../../switch/admin/endpoint-templates.ts'

let sw: SwitchHarness
let payer: TestDfsp
let payee: TestDfsp
let hub: TestDfsp
/** An oracle as the account lookup admin API lists it. */
interface OracleBody { endpoint: { value: string }; currency?: string; isDefault: boolean }

let stop: () => Promise<void>
const oracles: FastifyInstance[] = []
const h = (source: string, destination?: string) => fspiopHeaders(source, destination, '1.1', 'participants')

/** An oracle that says every party of every type is held by `fspId`. */
async function startOracle(fspId: string): Promise<string> {
  const oracle = Fastify()
  oracle.get('/participants/:Type/:ID', async () => ({ partyList: [{ fspId }] }))
  await oracle.listen({ host: '127.0.0.1', port: 0 })
  oracles.push(oracle)
  return `http://127.0.0.1:${(oracle.server.address() as { port: number }).port}`
}

/** Asks who holds BUSINESS/{id} and returns the fspId the switch answers the payer with. */
async function holderOf(id: string, query = ''): Promise<string | undefined> {
  await send(sw.apiUrl, 'GET', `/participants/BUSINESS/${id}${query}`, h('payerfsp'))
  const answer = await payer.waitFor((c) => c.method === 'PUT' && c.path.startsWith(`/participants/BUSINESS/${id}`))
  return answer.path.endsWith('/error') ? `error ${answer.body.errorInformation.errorCode}` : answer.body.fspId
}

before(async () => {
  ;({ sw, payer, payee, stop } = await startSwitchWithDfsps('alsadmin', ['payerfsp', 'payeefsp']))
  hub = await startTestDfsp('Hub')
  for (const [type, value] of Object.entries(endpointTemplates(hub.url))) {
    assert.equal((await call(sw.admin, 'POST', '/participants/Hub/endpoints', { type, value })).status, 201)
  }
})
after(async () => {
  for (const oracle of oracles) await oracle.close()
  await hub.close()
  await stop()
})

describe('the ALS admin API for oracles', () => {
  test('POST /oracles takes OracleInfo (oracleIdType is the party id type) and answers 201 without a body; GET /oracles lists OracleInfoGetResponse', async () => {
    const created = await alsAdmin(sw.admin, 'POST', '/oracles', { oracleIdType: 'ALIAS', endpoint: { value: 'http://oracle.example:3000', endpointType: 'URL' }, currency: 'USD', isDefault: true })
    assert.deepEqual(created, { status: 201, body: undefined })
    const listed = await alsAdmin(sw.admin, 'GET', '/oracles?type=ALIAS')
    assert.equal(listed.status, 200)
    assert.equal(typeof listed.body[0].oracleId, 'number')
    assert.deepEqual(listed.body, [{ oracleId: listed.body[0].oracleId, oracleIdType: 'ALIAS', endpoint: { value: 'http://oracle.example:3000', endpointType: 'URL' }, currency: 'USD', isDefault: true }])
  })

  test('GET /oracles filters by type and by currency; an oracle without currency has none in the list', async () => {
    await alsAdmin(sw.admin, 'POST', '/oracles', { oracleIdType: 'DEVICE', endpoint: { value: 'http://device-usd.example', endpointType: 'URL' }, currency: 'USD' })
    await alsAdmin(sw.admin, 'POST', '/oracles', { oracleIdType: 'DEVICE', endpoint: { value: 'http://device.example', endpointType: 'URL' } })
    const all = (await alsAdmin(sw.admin, 'GET', '/oracles?type=DEVICE')).body
    assert.deepEqual(all.map((o: OracleBody) => [o.endpoint.value, o.currency, o.isDefault]), [['http://device-usd.example', 'USD', false], ['http://device.example', undefined, false]])
    assert.deepEqual((await alsAdmin(sw.admin, 'GET', '/oracles?type=DEVICE&currency=USD')).body.map((o: OracleBody) => o.endpoint.value), ['http://device-usd.example'])
    assert.ok((await alsAdmin(sw.admin, 'GET', '/oracles?currency=USD')).body.every((o: OracleBody) => o.currency === 'USD'))
  })

  test('PUT /oracles/{ID} updates the fields of the body and answers 204; an unknown ID is 3003 "Oracle not found"', async () => {
    await alsAdmin(sw.admin, 'POST', '/oracles', { oracleIdType: 'IBAN', endpoint: { value: 'http://iban-old.example', endpointType: 'URL' }, currency: 'EUR' })
    const [oracle] = (await alsAdmin(sw.admin, 'GET', '/oracles?type=IBAN')).body
    const updated = await alsAdmin(sw.admin, 'PUT', `/oracles/${oracle.oracleId}`, { oracleIdType: 'IBAN', endpoint: { value: 'http://iban-new.example', endpointType: 'URL' }, isDefault: true })
    assert.deepEqual(updated, { status: 204, body: undefined })
    assert.deepEqual((await alsAdmin(sw.admin, 'GET', '/oracles?type=IBAN')).body, [{ ...oracle, endpoint: { value: 'http://iban-new.example', endpointType: 'URL' }, isDefault: true }])
    const unknown = await alsAdmin(sw.admin, 'PUT', '/oracles/999999', { oracleIdType: 'IBAN', endpoint: { value: 'http://x.example', endpointType: 'URL' } })
    assert.equal(unknown.status, 400)
    assert.equal(unknown.body.errorInformation.errorCode, '3003')
    assert.match(unknown.body.errorInformation.errorDescription, /Oracle not found/)
  })

  test('DELETE /oracles/{ID} answers 204 and the oracle is gone from the list; ALS answers 204 for an unknown ID too', async () => {
    await alsAdmin(sw.admin, 'POST', '/oracles', { oracleIdType: 'PERSONAL_ID', endpoint: { value: 'http://personal.example', endpointType: 'URL' } })
    const [oracle] = (await alsAdmin(sw.admin, 'GET', '/oracles?type=PERSONAL_ID')).body
    assert.equal((await alsAdmin(sw.admin, 'DELETE', `/oracles/${oracle.oracleId}`)).status, 204)
    assert.deepEqual((await alsAdmin(sw.admin, 'GET', '/oracles?type=PERSONAL_ID')).body, [])
    assert.equal((await alsAdmin(sw.admin, 'DELETE', `/oracles/${oracle.oracleId}`)).status, 204)
    assert.equal((await alsAdmin(sw.admin, 'DELETE', '/oracles/not-an-id')).status, 204)
  })

  test('the ALS admin API requires Content-Type and Date (and Accept on POST): missing ones are 400 with 3102', async () => {
    const body = { oracleIdType: 'CONSENT', endpoint: { value: 'http://x.example', endpointType: 'URL' } }
    for (const missing of ['date', 'accept']) {
      const headers = alsAdminHeaders('POST')
      delete headers[missing]
      const refused = await alsAdmin(sw.admin, 'POST', '/oracles', body, headers)
      assert.equal(refused.status, 400, missing)
      assert.equal(refused.body.errorInformation.errorCode, '3102', missing)
      assert.match(refused.body.errorInformation.errorDescription, new RegExp(missing))
    }
    const noDate = alsAdminHeaders('GET')
    delete noDate.date
    assert.equal((await alsAdmin(sw.admin, 'GET', '/oracles', undefined, noDate)).body.errorInformation.errorCode, '3102')
    assert.equal((await alsAdmin(sw.admin, 'POST', '/oracles', body, { ...alsAdminHeaders('POST'), 'content-type': 'application/json' })).status, 201, 'application/json is taken too')
  })

  test('a body that is not OracleInfo is refused in Mojaloop\'s error format: no endpoint 3102, an unknown oracleIdType or endpointType 3100', async () => {
    const code = async (body: unknown) => (await alsAdmin(sw.admin, 'POST', '/oracles', body)).body.errorInformation.errorCode
    assert.equal(await code({ oracleIdType: 'MSISDN' }), '3102')
    assert.equal(await code({ oracleIdType: 'URL', endpoint: { value: 'http://x.example', endpointType: 'URL' } }), '3100')
    assert.equal(await code({ oracleIdType: 'MSISDN', endpoint: { value: 'http://x.example', endpointType: 'EMAIL' } }), '3100')
    assert.equal(await code({ oracleIdType: 'MSISDN', endpoint: { value: 'http://x.example', endpointType: 'URL' }, currency: 'usd' }), '3100')
  })

  test('an oracle endpoint must be an http: or https: URL: file:, ftp:, javascript: are refused with 3100 and the reason, on POST and PUT', async () => {
    for (const value of ['file:///etc/passwd', 'ftp://oracle.example', 'javascript:alert(1)']) {
      const refused = await alsAdmin(sw.admin, 'POST', '/oracles', { oracleIdType: 'THIRD_PARTY_LINK', endpoint: { value, endpointType: 'URL' } })
      assert.equal(refused.status, 400, value)
      assert.equal(refused.body.errorInformation.errorCode, '3100', value)
      assert.match(refused.body.errorInformation.errorDescription, /^Generic validation error - endpoint scheme \w+: is not allowed; it must be an http: or https: URL$/, value)
    }
    assert.equal((await alsAdmin(sw.admin, 'GET', '/oracles?type=THIRD_PARTY_LINK')).body.length, 0, 'none was stored')
    assert.equal((await alsAdmin(sw.admin, 'POST', '/oracles', { oracleIdType: 'THIRD_PARTY_LINK', endpoint: { value: 'https://oracle.example', endpointType: 'URL' } })).status, 201)
    const [stored] = (await alsAdmin(sw.admin, 'GET', '/oracles?type=THIRD_PARTY_LINK')).body
    const put = await alsAdmin(sw.admin, 'PUT', `/oracles/${stored.oracleId}`, { oracleIdType: 'THIRD_PARTY_LINK', endpoint: { value: 'file:///etc/passwd', endpointType: 'URL' } })
    assert.equal(put.body.errorInformation.errorCode, '3100')
    assert.equal((await alsAdmin(sw.admin, 'GET', '/oracles?type=THIRD_PARTY_LINK')).body[0].endpoint.value, 'https://oracle.example')
    await alsAdmin(sw.admin, 'DELETE', `/oracles/${stored.oracleId}`)
  })
})

describe('lookups routed by oracleIdType and currency', () => {
  test('a lookup goes to the oracle of its party id type; with ?currency= to the oracle of that currency; of several, to the default one', async () => {
    const usd = await startOracle('payerfsp')
    const eur = await startOracle('payeefsp')
    const fallback = await startOracle('payerfsp')
    await alsAdmin(sw.admin, 'POST', '/oracles', { oracleIdType: 'BUSINESS', endpoint: { value: usd, endpointType: 'URL' }, currency: 'USD' })
    await alsAdmin(sw.admin, 'POST', '/oracles', { oracleIdType: 'BUSINESS', endpoint: { value: eur, endpointType: 'URL' }, currency: 'EUR', isDefault: true })
    assert.equal(await holderOf('shop1'), 'payeefsp', 'no currency: the default oracle')
    assert.equal(await holderOf('shop2', '?currency=USD'), 'payerfsp')
    assert.equal(await holderOf('shop3', '?currency=EUR'), 'payeefsp')
    assert.equal(await holderOf('shop4', '?currency=TZS'), 'error 3003', 'ALS: "Oracle type:BUSINESS and currency:TZS not found"')

    const [eurOracle] = (await alsAdmin(sw.admin, 'GET', '/oracles?type=BUSINESS&currency=EUR')).body
    await alsAdmin(sw.admin, 'PUT', `/oracles/${eurOracle.oracleId}`, { oracleIdType: 'BUSINESS', endpoint: { value: fallback, endpointType: 'URL' }, isDefault: false })
    assert.equal(await holderOf('shop5'), 'error 3003', 'several oracles and none is the default')
    await alsAdmin(sw.admin, 'DELETE', `/oracles/${eurOracle.oracleId}`)
    assert.equal(await holderOf('shop6'), 'payerfsp', 'one oracle left: it serves the type')
  })
})

describe('registrations by the hub operator', () => {
  test('the hub registers a party on behalf of a DFSP: 202, and the result {partyList, currency} goes to that DFSP (no FSPIOP-Destination), from the hub', async () => {
    assert.equal((await send(sw.apiUrl, 'POST', '/participants/MSISDN/2557001', h('Hub'), { fspId: 'payeefsp', currency: 'USD' })).status, 202)
    const result = await payee.waitFor((c) => c.method === 'PUT' && c.path === '/participants/MSISDN/2557001')
    assert.equal(result.headers['fspiop-source'], 'Hub')
    assert.deepEqual(result.body, { partyList: [{ partyIdType: 'MSISDN', partyIdentifier: '2557001', fspId: 'payeefsp' }], currency: 'USD' })
    await send(sw.apiUrl, 'GET', '/participants/MSISDN/2557001', h('payerfsp'))
    assert.equal((await payer.waitFor((c) => c.path === '/participants/MSISDN/2557001')).body.fspId, 'payeefsp')
  })

  test('with FSPIOP-Destination = the hub, the result goes to the hub\'s FSPIOP_CALLBACK_URL_PARTICIPANT_PUT endpoint; a SubId is in the path and in partyList', async () => {
    assert.equal((await send(sw.apiUrl, 'POST', '/participants/ACCOUNT_ID/acme/till7', h('Hub', 'Hub'), { fspId: 'payerfsp' })).status, 202)
    const result = await hub.waitFor((c) => c.method === 'PUT' && c.path === '/participants/ACCOUNT_ID/acme/till7')
    assert.deepEqual(result.body, { partyList: [{ partyIdType: 'ACCOUNT_ID', partyIdentifier: 'acme', fspId: 'payerfsp', partySubIdOrType: 'till7' }] })
    assert.equal((await sw.testDb.db('oracle_party').where({ party_id: 'acme', party_sub_id: 'till7' }).first()).fsp_id, 'payerfsp')
  })

  test('the hub\'s refused registrations come back to the hub\'s PUT .../error endpoint: a party another DFSP holds (3003), a name that is not an active DFSP (3003)', async () => {
    await send(sw.apiUrl, 'POST', '/participants/MSISDN/2557002', h('Hub'), { fspId: 'payeefsp' })
    await payee.waitFor((c) => c.path === '/participants/MSISDN/2557002')
    await send(sw.apiUrl, 'POST', '/participants/MSISDN/2557002', h('Hub'), { fspId: 'payerfsp' })
    assert.equal((await hub.waitFor((c) => c.path === '/participants/MSISDN/2557002/error')).body.errorInformation.errorCode, '3003')
    await send(sw.apiUrl, 'POST', '/participants/MSISDN/2557003', h('Hub'), { fspId: 'nobodyfsp' })
    assert.equal((await hub.waitFor((c) => c.path === '/participants/MSISDN/2557003/error')).body.errorInformation.errorCode, '3003')
    assert.equal(await sw.testDb.db('oracle_party').where({ party_id: '2557003' }).first(), undefined)
  })

  test('a DFSP registers only its own parties: an fspId of another DFSP is 3204 to FSPIOP-Source, and nothing is registered', async () => {
    assert.equal((await send(sw.apiUrl, 'POST', '/participants/MSISDN/2557004', h('payerfsp'), { fspId: 'payeefsp' })).status, 202)
    const refused = await payer.waitFor((c) => c.path === '/participants/MSISDN/2557004/error')
    assert.equal(refused.body.errorInformation.errorCode, '3204')
    assert.equal(refused.headers['fspiop-source'], 'Hub')
    assert.equal(await sw.testDb.db('oracle_party').where({ party_id: '2557004' }).first(), undefined)
  })

  test('batch POST /participants registers only parties whose fspId is FSPIOP-Source (ALS gives 3204 for the others, the hub\'s too) and answers to FSPIOP-Source', async () => {
    const fromHub = randomUUID()
    const party = { partyIdType: 'MSISDN', partyIdentifier: '2557005', fspId: 'payeefsp' }
    assert.equal((await send(sw.apiUrl, 'POST', '/participants', h('Hub'), { requestId: fromHub, partyList: [party], currency: 'USD' })).status, 202)
    const hubResult = await hub.waitFor((c) => c.path === `/participants/${fromHub}`)
    assert.equal(hubResult.body.partyList[0].errorInformation.errorCode, '3204')
    assert.deepEqual(hubResult.body.partyList[0].partyId, party)
    assert.deepEqual(hubResult.body.partyList[0].errorInformation.extensionList, { extension: [{ key: 'MSISDN', value: '2557005' }] })

    const fromPayee = randomUUID()
    const foreign = { partyIdType: 'MSISDN', partyIdentifier: '2557006', fspId: 'payerfsp' }
    await send(sw.apiUrl, 'POST', '/participants', h('payeefsp'), { requestId: fromPayee, partyList: [party, foreign], currency: 'USD' })
    const payeeResult = await payee.waitFor((c) => c.path === `/participants/${fromPayee}`)
    assert.deepEqual(payeeResult.body.partyList[0], { partyId: party })
    assert.equal(payeeResult.body.partyList[1].errorInformation.errorCode, '3204')
    assert.equal(payeeResult.body.currency, 'USD')
    assert.equal(await sw.testDb.db('oracle_party').where({ party_id: '2557006' }).first(), undefined)
  })
})
