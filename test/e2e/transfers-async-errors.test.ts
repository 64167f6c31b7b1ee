// Mojaloop's asynchronous errors, end to end through the real switch: what central-ledger refuses after
// answering 202 (its prepare validator, fulfil handler and getTransfer), what ml-api-adapter refuses at
// once, and the error wording DFSPs match on. The ledger's and pipeline's invariants are checked after each.
import { after, afterEach, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import type { SwitchHarness } from '../support/switch-harness.ts'
import { startSwitchWithDfsps } from '../support/dfsp-pair.ts'
import { startTestDfsp, type TestDfsp } from '../support/dfsp-server.ts'
import { call, onboardDfsp } from '../support/fixtures.ts'
import { fspiopHeaders, fulfil, newTransfer, prepare, send, type SentTransfer } from '../support/fspiop-client.ts'
import { endpointTemplates } from '../../switch/admin/endpoint-templates.ts'
import { deliveredOrDeadLettered } from '../../switch/invariants/pipeline-invariants.ts'
import type { FspiopVersion } from '../../switch/fspiop/headers.ts'
import { assertSwitchInvariants } from '../support/switch-invariants.ts'

let sw: SwitchHarness
let payer: TestDfsp
let payee: TestDfsp
let other: TestDfsp
let hub: TestDfsp
let stop: () => Promise<void>
const dfsps = () => [payer, payee, other]

before(async () => {
  ;({ sw, payer, payee, stop } = await startSwitchWithDfsps('async-errors', ['payerfsp', 'payeefsp'], { ndc: '1000', fundsIn: '5000' }))
  other = await startTestDfsp('otherfsp')
  await onboardDfsp(sw.admin, { name: 'otherfsp', ndc: '1000', fundsIn: '1000', endpointBase: other.url })
  hub = await startTestDfsp('Hub')
  for (const [type, value] of Object.entries(endpointTemplates(hub.url))) await call(sw.admin, 'POST', '/participants/Hub/endpoints', { type, value })
})
afterEach(async () => {
  await assertSwitchInvariants(sw)
  // I6: the payer of every final transfer heard of it, or the callback is dead-lettered with a reason.
  for (const { id, payer_fsp } of await sw.testDb.db('transfer').whereIn('state', ['COMMITTED', 'ABORTED', 'EXPIRED']).select('id', 'payer_fsp')) {
    const dfsp = dfsps().find((d) => d.name === payer_fsp)!
    const heard = (transferId: string) => dfsp.received.some((c) => c.path.startsWith(`/transfers/${transferId}`))
    let ok = await deliveredOrDeadLettered(sw.testDb.db, id, heard)
    for (let i = 0; i < 50 && !ok; i++) {
      await new Promise((r) => setTimeout(r, 100))
      ok = await deliveredOrDeadLettered(sw.testDb.db, id, heard)
    }
    assert.ok(ok, `the payer heard the outcome of ${id}, or it is dead-lettered`)
  }
})
after(async () => {
  await stop()
  await other.close()
  await hub.close()
})

const row = (id: string) => sw.testDb.db('transfer').where({ id }).first()
const forwarded = (id: string) => payee.waitFor((c) => c.method === 'POST' && c.path === '/transfers' && c.body.transferId === id)
const errorTo = (dfsp: TestDfsp, id: string) => dfsp.waitFor((c) => c.method === 'PUT' && c.path === `/transfers/${id}/error`)
const reservedOf = async (name: string) => (await call(sw.admin, 'GET', `/participants/${name}/accounts`)).body.find((a: any) => a.ledgerAccountType === 'POSITION').reservedValue
const accountId = async (name: string, type: string) => (await call(sw.admin, 'GET', `/participants/${name}/accounts`)).body.find((a: any) => a.ledgerAccountType === type).id
const get = (id: string, source: string, version: FspiopVersion = '1.1') => send(sw.apiUrl, 'GET', `/transfers/${id}`, fspiopHeaders(source, undefined, version))
const stateTo = async (dfsp: TestDfsp, id: string, getIt: () => Promise<unknown>) => {
  const before = dfsp.received.length
  await getIt()
  return dfsp.waitFor((c) => dfsp.received.indexOf(c) >= before && c.method === 'PUT' && c.path.startsWith(`/transfers/${id}`))
}

/** A prepare answered 202, then refused to its payer with central-ledger's 3100 and reason; recorded ABORTED. */
async function refusedLater(t: SentTransfer, from: TestDfsp, reason: string) {
  assert.equal((await prepare(sw.apiUrl, t)).status, 202)
  const error = await errorTo(from, t.transferId)
  assert.deepEqual(error.body.errorInformation, { errorCode: '3100', errorDescription: `Generic validation error - ${reason}` })
  assert.equal(error.headers['fspiop-source'], 'Hub')
  const stored = await row(t.transferId)
  assert.deepEqual([stored.state, stored.error_code], ['ABORTED', '3100'])
}

describe('unknown or inactive participants and accounts are refused after 202, as central-ledger\'s prepare validator does', () => {
  test('a prepare to an unknown payee is answered 202, then 3100 "Participant nobody not found" to the payer, and nothing is reserved', async () => {
    const t = newTransfer('payerfsp', 'nobody', '10')
    await refusedLater(t, payer, 'Participant nobody not found')
    assert.equal(await reservedOf('payerfsp'), 0)
    // The refused transfer is ABORTED: a GET and a duplicate prepare answer its state, as for any final transfer.
    assert.equal((await stateTo(payer, t.transferId, () => get(t.transferId, 'payerfsp'))).body.transferState, 'ABORTED')
    const again = await stateTo(payer, t.transferId, () => prepare(sw.apiUrl, t))
    assert.deepEqual([again.path, again.body.transferState], [`/transfers/${t.transferId}`, 'ABORTED'])
  })

  test('an inactive payee, an inactive payee position account and an inactive payer are refused with central-ledger\'s wording', async () => {
    await call(sw.admin, 'PUT', '/participants/otherfsp', { isActive: false })
    await refusedLater(newTransfer('payerfsp', 'otherfsp', '10'), payer, 'Participant otherfsp is inactive')
    await refusedLater(newTransfer('otherfsp', 'payerfsp', '10'), other, 'Participant otherfsp is inactive')
    await call(sw.admin, 'PUT', '/participants/otherfsp', { isActive: true })
    const position = await accountId('otherfsp', 'POSITION')
    await call(sw.admin, 'PUT', `/participants/otherfsp/accounts/${position}`, { isActive: false })
    await refusedLater(newTransfer('payerfsp', 'otherfsp', '10'), payer, 'Participant otherfsp USD account is inactive')
    await refusedLater(newTransfer('otherfsp', 'payerfsp', '10'), other, 'Participant otherfsp USD account is inactive')
    await call(sw.admin, 'PUT', `/participants/otherfsp/accounts/${position}`, { isActive: true })
    await refusedLater(newTransfer('payerfsp', 'payeefsp', '10', { currency: 'EUR' }), payer, 'Participant payerfsp EUR account not found')
  })

  test('a prepare from a source that is no participant is answered 202 and nobody is called back, as there is nobody to answer', async () => {
    const t = newTransfer('ghostfsp', 'payeefsp', '10')
    const before = dfsps().map((d) => d.received.length)
    assert.equal((await prepare(sw.apiUrl, t)).status, 202)
    const control = newTransfer('payerfsp', 'nobody', '1')
    await refusedLater(control, payer, 'Participant nobody not found')
    await new Promise((r) => setTimeout(r, 500))
    assert.equal(await row(t.transferId), undefined)
    assert.deepEqual(dfsps().map((d) => d.received.slice(before[dfsps().indexOf(d)]).filter((c) => JSON.stringify(c).includes(t.transferId)).length), [0, 0, 0])
  })
})

describe('GET /transfers/{id} answers the state, as central-ledger\'s getTransfer does', () => {
  test('RESERVED, COMMITTED, ABORTED and EXPIRED (as ABORTED) come back as PUT /transfers/{id}, not error callbacks', async () => {
    const reserved = newTransfer('payerfsp', 'payeefsp', '11')
    await prepare(sw.apiUrl, reserved)
    await forwarded(reserved.transferId)
    assert.equal((await stateTo(payer, reserved.transferId, () => get(reserved.transferId, 'payerfsp'))).body.transferState, 'RESERVED')
    await fulfil(sw.apiUrl, reserved)
    await payer.waitFor((c) => c.path === `/transfers/${reserved.transferId}` && c.headers['fspiop-source'] === 'payeefsp')
    const committed = await stateTo(payee, reserved.transferId, () => get(reserved.transferId, 'payeefsp'))
    assert.deepEqual([committed.path, committed.body.transferState, committed.body.fulfilment], [`/transfers/${reserved.transferId}`, 'COMMITTED', reserved.fulfilment])

    const rejected = newTransfer('payerfsp', 'payeefsp', '12')
    await prepare(sw.apiUrl, rejected)
    await forwarded(rejected.transferId)
    await fulfil(sw.apiUrl, rejected, { state: 'ABORTED' })
    await payer.waitFor((c) => c.path === `/transfers/${rejected.transferId}`)
    const aborted = await stateTo(payer, rejected.transferId, () => get(rejected.transferId, 'payerfsp'))
    assert.deepEqual([aborted.path, aborted.body.transferState, aborted.headers['fspiop-source']], [`/transfers/${rejected.transferId}`, 'ABORTED', 'Hub'])
    assert.ok(aborted.body.completedTimestamp)

    const expiring = newTransfer('payerfsp', 'payeefsp', '13', { expiresIn_ms: 1000 })
    await prepare(sw.apiUrl, expiring)
    await errorTo(payer, expiring.transferId)
    assert.equal((await row(expiring.transferId)).state, 'EXPIRED')
    const expired = await stateTo(payer, expiring.transferId, () => get(expiring.transferId, 'payerfsp'))
    assert.deepEqual([expired.path, expired.body.transferState], [`/transfers/${expiring.transferId}`, 'ABORTED'])
  })

  test('an unknown id gets 3208 with central-ledger\'s text; a DFSP not party to the transfer gets 3000', async () => {
    const id = randomUUID()
    assert.equal((await get(id, 'payerfsp')).status, 202)
    assert.deepEqual((await errorTo(payer, id)).body.errorInformation, { errorCode: '3208', errorDescription: 'Transfer ID not found - Provided Transfer ID was not found on the server.' })
    const t = newTransfer('payerfsp', 'payeefsp', '14')
    await prepare(sw.apiUrl, t)
    await forwarded(t.transferId)
    await get(t.transferId, 'otherfsp')
    assert.deepEqual((await errorTo(other, t.transferId)).body.errorInformation, { errorCode: '3000', errorDescription: 'Generic client error' })
    await fulfil(sw.apiUrl, t, { state: 'ABORTED' })
    await payer.waitFor((c) => c.path === `/transfers/${t.transferId}`)
  })

  test('funds in and funds out are readable by the hub (FSPIOP-Source = hub name), as central-ledger allows', async () => {
    const settlement = await accountId('payerfsp', 'SETTLEMENT')
    const fundsIn = randomUUID()
    const fundsOut = randomUUID()
    const funds = (transferId: string, action: string) => call(sw.admin, 'POST', `/participants/payerfsp/accounts/${settlement}`, {
      transferId, externalReference: 'test', action, reason: 'test', amount: { amount: '5', currency: 'USD' },
    })
    assert.equal((await funds(fundsIn, 'recordFundsIn')).status, 202)
    assert.equal((await funds(fundsOut, 'recordFundsOutPrepareReserve')).status, 202)
    assert.equal((await stateTo(hub, fundsIn, () => get(fundsIn, 'Hub'))).body.transferState, 'COMMITTED')
    assert.equal((await stateTo(hub, fundsOut, () => get(fundsOut, 'Hub'))).body.transferState, 'RESERVED')
    assert.equal((await stateTo(payer, fundsIn, () => get(fundsIn, 'payerfsp'))).body.transferState, 'COMMITTED')
    await get(fundsIn, 'payeefsp')
    assert.equal((await errorTo(payee, fundsIn)).body.errorInformation.errorCode, '3208')
    await call(sw.admin, 'PUT', `/participants/payerfsp/accounts/${settlement}/transfers/${fundsOut}`, { action: 'recordFundsOutAbort', reason: 'test' })
  })
})

describe('what central-ledger\'s fulfil handler decides after 200', () => {
  test('a commit without fulfilment is accepted with 200, then aborted with 3100 "missing fulfilment" to the payee and the payer', async () => {
    const t = newTransfer('payerfsp', 'payeefsp', '15')
    await prepare(sw.apiUrl, t)
    await forwarded(t.transferId)
    const headers = fspiopHeaders('payeefsp', 'payerfsp')
    delete headers.accept
    const r = await send(sw.apiUrl, 'PUT', `/transfers/${t.transferId}`, headers, { transferState: 'COMMITTED', completedTimestamp: new Date().toISOString() })
    assert.equal(r.status, 200)
    const expected = { errorCode: '3100', errorDescription: 'Generic validation error - missing fulfilment' }
    assert.deepEqual((await errorTo(payee, t.transferId)).body.errorInformation, expected)
    assert.deepEqual((await errorTo(payer, t.transferId)).body.errorInformation, expected)
    assert.equal((await row(t.transferId)).state, 'ABORTED')
    assert.equal(await reservedOf('payerfsp'), 0)
  })

  test('a fulfilment that does not match is "invalid fulfilment"', async () => {
    const t = newTransfer('payerfsp', 'payeefsp', '16')
    await prepare(sw.apiUrl, t)
    await forwarded(t.transferId)
    await fulfil(sw.apiUrl, t, { fulfilment: newTransfer('a', 'b', '1').fulfilment })
    assert.equal((await errorTo(payer, t.transferId)).body.errorInformation.errorDescription, 'Generic validation error - invalid fulfilment')
  })

  test('RESERVED from a v1.0 payee is not committed: the transfer stays RESERVED and expires, as central-ledger fails silently', async () => {
    const t = newTransfer('payerfsp', 'payeefsp', '17', { expiresIn_ms: 2500 })
    await prepare(sw.apiUrl, t, { version: '1.0' })
    await forwarded(t.transferId)
    const headers = fspiopHeaders('payeefsp', 'payerfsp', '1.0')
    delete headers.accept
    const r = await send(sw.apiUrl, 'PUT', `/transfers/${t.transferId}`, headers, { transferState: 'RESERVED', fulfilment: t.fulfilment, completedTimestamp: new Date().toISOString() })
    assert.equal(r.status, 200)
    assert.equal((await errorTo(payer, t.transferId)).body.errorInformation.errorCode, '3303')
    assert.equal((await row(t.transferId)).state, 'EXPIRED')
    assert.equal(payee.received.some((c) => c.method === 'PATCH' && c.path === `/transfers/${t.transferId}`), false)
    assert.equal(await sw.testDb.db('journal_entry').where({ reference: t.transferId }).first(), undefined)
  })
})

describe('what ml-api-adapter refuses at once, in Mojaloop\'s words', () => {
  test('a completedTimestamp in the future is refused with 400 3100 and leaves the transfer RESERVED', async () => {
    const t = newTransfer('payerfsp', 'payeefsp', '18')
    await prepare(sw.apiUrl, t)
    await forwarded(t.transferId)
    const headers = fspiopHeaders('payeefsp', 'payerfsp')
    delete headers.accept
    const body = { transferState: 'COMMITTED', fulfilment: t.fulfilment, completedTimestamp: new Date(Date.now() + 60_000).toISOString() }
    const r = await send(sw.apiUrl, 'PUT', `/transfers/${t.transferId}`, headers, body)
    assert.equal(r.status, 400)
    assert.deepEqual(r.body.errorInformation, { errorCode: '3100', errorDescription: 'Generic validation error - completedTimestamp fails because future timestamp was provided' })
    assert.equal((await row(t.transferId)).state, 'RESERVED')
    await fulfil(sw.apiUrl, t)
    await payer.waitFor((c) => c.path === `/transfers/${t.transferId}`)
  })

  test('an unsupported version is 406 with 3001 and the supported versions as the extension list', async () => {
    const t = newTransfer('payerfsp', 'payeefsp', '19')
    const extensionList = { extension: [{ key: '1', value: '0' }, { key: '1', value: '1' }, { key: '2', value: '0' }] }
    const contentType = await send(sw.apiUrl, 'POST', '/transfers', { ...fspiopHeaders('payerfsp', 'payeefsp'), 'content-type': 'application/vnd.interoperability.transfers+json;version=9.0' }, t.body)
    assert.equal(contentType.status, 406)
    assert.deepEqual(contentType.body.errorInformation, { errorCode: '3001', errorDescription: 'Unacceptable version requested - Client supplied a protocol version which is not supported by the server', extensionList })
    const accept = await send(sw.apiUrl, 'POST', '/transfers', { ...fspiopHeaders('payerfsp', 'payeefsp'), accept: 'application/vnd.interoperability.transfers+json;version=9.0' }, t.body)
    assert.equal(accept.status, 406)
    assert.equal(accept.body.errorInformation.errorDescription, 'Unacceptable version requested - The Client requested an unsupported version, see extension list for supported version(s).')
  })

  test('a modified duplicate is 3106 "Modified request", without more', async () => {
    const t = newTransfer('payerfsp', 'payeefsp', '20')
    await prepare(sw.apiUrl, t)
    await forwarded(t.transferId)
    await prepare(sw.apiUrl, { ...t, body: { ...t.body, amount: { amount: '21', currency: 'USD' } } })
    assert.deepEqual((await errorTo(payer, t.transferId)).body.errorInformation, { errorCode: '3106', errorDescription: 'Modified request' })
    await fulfil(sw.apiUrl, t)
    await payer.waitFor((c) => c.path === `/transfers/${t.transferId}`)
  })
})
