// Transfers end to end over real HTTP, Kafka and MariaDB, between two DFSP servers that receive the
// callbacks. The pipeline's invariants are checked after each test.
import { after, afterEach, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import type { SwitchHarness } from '../support/switch-harness.ts'
import { startSwitchWithDfsps } from '../support/dfsp-pair.ts'
import type { TestDfsp } from '../support/dfsp-server.ts'
import { call, onboardDfsp, setupHub } from '../support/fixtures.ts'
import { fspiopHeaders, fulfil, newTransfer, prepare, reject, send } from '../support/fspiop-client.ts'
import { partiesTold } from '../../switch/invariants/pipeline-invariants.ts'
import { assertSwitchInvariants } from '../support/switch-invariants.ts'

let sw: SwitchHarness
let payer: TestDfsp
let payee: TestDfsp
let stop: () => Promise<void>

before(async () => {
  ;({ sw, payer, payee, stop } = await startSwitchWithDfsps('transfers', ['payerfsp', 'payeefsp'], { ndc: '1000', fundsIn: '5000' }))
})
afterEach(async () => {
  await assertSwitchInvariants(sw)
  // I6: the payer and payee of every final transfer heard of it, or the callback is dead-lettered with a reason.
  const heard = (dfsp: string, id: string) => (dfsp === payer.name ? payer : payee).received.some((c) => c.method !== 'POST' && c.path.startsWith(`/transfers/${id}`))
  const told = partiesTold(heard, [payer.name, payee.name])
  let untold = await told(sw.testDb.db)
  for (let i = 0; i < 50 && untold.length > 0; i++) {
    await new Promise((r) => setTimeout(r, 100))
    untold = await told(sw.testDb.db)
  }
  assert.deepEqual(untold, [], 'every party heard the outcome of its transfers, or it is dead-lettered')
})
after(async () => stop())

/** An account as the admin API answers it, as far as these tests read it. */
interface AccountBody { ledgerAccountType: string; currency: string; value: number }
const position = async (name: string) => (await call(sw.admin, 'GET', `/participants/${name}/accounts`)).body.find((a: AccountBody) => a.ledgerAccountType === 'POSITION')
const stateOf = async (id: string) => (await sw.testDb.db('transfer').where({ id }).first())?.state
const forwarded = (id: string) => payee.waitFor((c) => c.method === 'POST' && c.path === '/transfers' && c.body.transferId === id)
const toPayer = (path: string) => payer.waitFor((c) => c.method === 'PUT' && c.path === path)

describe('the happy path', () => {
  test('prepare reserves and reaches the payee; fulfil commits and tells the payer', async () => {
    const t = newTransfer('payerfsp', 'payeefsp', '100')
    assert.equal((await prepare(sw.apiUrl, t)).status, 202)
    const arrived = await forwarded(t.transferId)
    assert.equal(arrived.headers['fspiop-source'], 'payerfsp')
    assert.equal(arrived.headers['content-type'], 'application/vnd.interoperability.transfers+json;version=1.1')
    assert.deepEqual([(await position('payerfsp')).value, (await position('payerfsp')).reservedValue], [0, 100])
    assert.equal((await fulfil(sw.apiUrl, t)).status, 200)
    const done = await toPayer(`/transfers/${t.transferId}`)
    assert.equal(done.body.transferState, 'COMMITTED')
    assert.equal(done.body.fulfilment, t.fulfilment)
    assert.equal(done.headers['fspiop-source'], 'payeefsp')
    assert.equal(await stateOf(t.transferId), 'COMMITTED')
    assert.deepEqual([(await position('payerfsp')).value, (await position('payerfsp')).reservedValue], [100, 0])
    assert.equal((await position('payeefsp')).value, -100)
  })
})

describe('versions', () => {
  test('a v2.0 prepare is forwarded in v2.0, and the payee\'s v2.0 answer reaches the payer in v2.0', async () => {
    const t = newTransfer('payerfsp', 'payeefsp', '12')
    assert.equal((await prepare(sw.apiUrl, t, { version: '2.0' })).status, 202)
    assert.equal((await forwarded(t.transferId)).headers['content-type'], 'application/vnd.interoperability.transfers+json;version=2.0')
    await fulfil(sw.apiUrl, t, { version: '2.0' })
    assert.equal((await toPayer(`/transfers/${t.transferId}`)).headers['content-type'], 'application/vnd.interoperability.transfers+json;version=2.0')
  })
})

describe('refusals and aborts', () => {
  test('a payee reject releases the reservation and forwards the error to the payer', async () => {
    const t = newTransfer('payerfsp', 'payeefsp', '50')
    await prepare(sw.apiUrl, t)
    await forwarded(t.transferId)
    assert.equal((await reject(sw.apiUrl, t, '5104')).status, 200)
    const error = await toPayer(`/transfers/${t.transferId}/error`)
    assert.equal(error.body.errorInformation.errorCode, '5104')
    assert.equal(error.headers['fspiop-source'], 'payeefsp')
    assert.equal(await stateOf(t.transferId), 'ABORTED')
    assert.equal((await position('payerfsp')).reservedValue, 0)
  })

  test('a fulfilment that does not match the condition aborts, and both sides hear 3100', async () => {
    const t = newTransfer('payerfsp', 'payeefsp', '60')
    await prepare(sw.apiUrl, t)
    await forwarded(t.transferId)
    await fulfil(sw.apiUrl, t, { fulfilment: newTransfer('a', 'b', '1').fulfilment })
    const toPayerError = await toPayer(`/transfers/${t.transferId}/error`)
    const toPayeeError = await payee.waitFor((c) => c.path === `/transfers/${t.transferId}/error`)
    assert.equal(toPayerError.body.errorInformation.errorCode, '3100')
    assert.equal(toPayeeError.body.errorInformation.errorCode, '3100')
    assert.equal(toPayerError.headers['fspiop-source'], 'Hub')
    assert.equal(toPayerError.headers['fspiop-uri'], `/transfers/${t.transferId}/error`)
    assert.equal(toPayerError.headers['fspiop-http-method'], 'PUT')
    assert.equal(await stateOf(t.transferId), 'ABORTED')
  })

  test('the net debit cap refuses with 4200, liquidity with 4001', async () => {
    const overCap = newTransfer('payerfsp', 'payeefsp', '1001')
    await prepare(sw.apiUrl, overCap)
    assert.equal((await toPayer(`/transfers/${overCap.transferId}/error`)).body.errorInformation.errorCode, '4200')
    await call(sw.admin, 'PUT', '/participants/payeefsp/limits', { currency: 'USD', limit: { type: 'NET_DEBIT_CAP', value: 100000 } })
    const accounts = (await call(sw.admin, 'GET', '/participants/payeefsp/accounts')).body
    const funds = -Number(accounts.find((a: AccountBody) => a.ledgerAccountType === 'SETTLEMENT').value)
    const exposure = Number((await position('payeefsp')).value) + Number((await position('payeefsp')).reservedValue)
    const overFunds = newTransfer('payeefsp', 'payerfsp', String(funds - exposure + 1))
    await prepare(sw.apiUrl, overFunds)
    assert.equal((await payee.waitFor((c) => c.path === `/transfers/${overFunds.transferId}/error`)).body.errorInformation.errorCode, '4001')
    await call(sw.admin, 'PUT', '/participants/payeefsp/limits', { currency: 'USD', limit: { type: 'NET_DEBIT_CAP', value: 1000 } })
    assert.equal(await stateOf(overCap.transferId), 'ABORTED')
  })

  test('many prepares that together exceed the cap: exactly those that fit are reserved', async () => {
    const before = await position('payerfsp')
    const headroom = 1000 - Number(before.value) - Number(before.reservedValue)
    const transfers = Array.from({ length: 12 }, () => newTransfer('payerfsp', 'payeefsp', '100'))
    await Promise.all(transfers.map((t) => prepare(sw.apiUrl, t)))
    const outcomes = await Promise.all(transfers.map((t) => Promise.race([
      forwarded(t.transferId).then(() => 'reserved'),
      toPayer(`/transfers/${t.transferId}/error`).then((c) => c.body.errorInformation.errorCode),
    ])))
    assert.equal(outcomes.filter((o) => o === 'reserved').length, Math.floor(headroom / 100))
    assert.ok(outcomes.filter((o) => o !== 'reserved').every((o) => o === '4200'))
    for (const [i, t] of transfers.entries()) if (outcomes[i] === 'reserved') await reject(sw.apiUrl, t)
    for (const [i, t] of transfers.entries()) if (outcomes[i] === 'reserved') await toPayer(`/transfers/${t.transferId}/error`)
  })
})

describe('expiry', () => {
  test('a prepare that expires while RESERVED is released and both sides get 3303', async () => {
    const t = newTransfer('payerfsp', 'payeefsp', '70', { expiresIn_ms: 1500 })
    await prepare(sw.apiUrl, t)
    await forwarded(t.transferId)
    const error = await toPayer(`/transfers/${t.transferId}/error`)
    assert.equal(error.body.errorInformation.errorCode, '3303')
    assert.equal((await payee.waitFor((c) => c.path === `/transfers/${t.transferId}/error`)).body.errorInformation.errorCode, '3303')
    assert.equal(await stateOf(t.transferId), 'EXPIRED')
    // A fulfil after expiry changes nothing: the payee hears the transfer expired.
    await fulfil(sw.apiUrl, t)
    await payee.waitFor((c) => c.path === `/transfers/${t.transferId}/error` && c.headers['fspiop-source'] === 'Hub' && payee.received.filter((r) => r.path === c.path).length >= 2)
    assert.equal(await stateOf(t.transferId), 'EXPIRED')
  })

  test('a prepare already expired is refused at once with 3303, and one that expires before it is reserved ends EXPIRED', async () => {
    const late = newTransfer('payerfsp', 'payeefsp', '10', { expiresIn_ms: -1000 })
    const r = await prepare(sw.apiUrl, late)
    assert.equal(r.status, 400)
    assert.equal(r.body.errorInformation.errorCode, '3303')
    const received = newTransfer('payerfsp', 'payeefsp', '10', { expiresIn_ms: 40 })
    await prepare(sw.apiUrl, received)
    const error = await toPayer(`/transfers/${received.transferId}/error`)
    assert.equal(error.body.errorInformation.errorCode, '3303')
    assert.equal(await stateOf(received.transferId), 'EXPIRED')
  })
})

describe('duplicates', () => {
  test('the same prepare while in progress is ignored; once final its state is sent again', async () => {
    const t = newTransfer('payerfsp', 'payeefsp', '20')
    await prepare(sw.apiUrl, t)
    await forwarded(t.transferId)
    await prepare(sw.apiUrl, t)
    await fulfil(sw.apiUrl, t)
    await toPayer(`/transfers/${t.transferId}`)
    assert.equal(payee.received.filter((c) => c.method === 'POST' && c.body.transferId === t.transferId).length, 1, 'forwarded once')
    await prepare(sw.apiUrl, t)
    await payer.waitFor((c) => c.path === `/transfers/${t.transferId}` && c.headers['fspiop-source'] === 'Hub')
    assert.equal(await sw.testDb.db('journal_entry').where({ reference: t.transferId }).count({ n: '*' }).then((r) => Number(r[0]!.n)), 1)
  })

  test('the same id with a different body is refused with 3106 and has no effect', async () => {
    const t = newTransfer('payerfsp', 'payeefsp', '30')
    await prepare(sw.apiUrl, t)
    await forwarded(t.transferId)
    const modified = { ...t, body: { ...t.body, amount: { amount: '31', currency: 'USD' } } }
    await prepare(sw.apiUrl, modified)
    assert.equal((await toPayer(`/transfers/${t.transferId}/error`)).body.errorInformation.errorCode, '3106')
    assert.equal((await sw.testDb.db('transfer').where({ id: t.transferId }).first()).amount, '30.0000')
    await fulfil(sw.apiUrl, t)
    await toPayer(`/transfers/${t.transferId}`)
    await fulfil(sw.apiUrl, t, { state: 'RESERVED' })
    assert.equal((await payee.waitFor((c) => c.path === `/transfers/${t.transferId}/error`)).body.errorInformation.errorCode, '3106')
  })

  test('a payee answering RESERVED gets the final state as PATCH', async () => {
    const t = newTransfer('payerfsp', 'payeefsp', '40')
    await prepare(sw.apiUrl, t)
    await forwarded(t.transferId)
    await fulfil(sw.apiUrl, t, { state: 'RESERVED' })
    const patch = await payee.waitFor((c) => c.method === 'PATCH' && c.path === `/transfers/${t.transferId}`)
    assert.equal(patch.body.transferState, 'COMMITTED')
    assert.equal(patch.headers['fspiop-source'], 'Hub')
  })
})

describe('bad requests', () => {
  test('a prepare whose FSPIOP-Source is not the payer is refused', async () => {
    const t = newTransfer('payerfsp', 'payeefsp', '10')
    const r = await prepare(sw.apiUrl, t, { source: 'payeefsp' })
    assert.equal(r.status, 400)
    assert.equal(r.body.errorInformation.errorCode, '3100')
    assert.equal(await stateOf(t.transferId), undefined)
  })

  test('a fulfil from someone other than the payee is refused and changes nothing', async () => {
    const t = newTransfer('payerfsp', 'payeefsp', '10')
    await prepare(sw.apiUrl, t)
    await forwarded(t.transferId)
    await fulfil(sw.apiUrl, t, { source: 'payerfsp' })
    assert.equal((await toPayer(`/transfers/${t.transferId}/error`)).body.errorInformation.errorCode, '3100')
    assert.equal(await stateOf(t.transferId), 'RESERVED')
    await reject(sw.apiUrl, t)
    await payer.waitFor((c) => c.path === `/transfers/${t.transferId}/error` && c.body.errorInformation.errorCode === '5104')
  })

  test('malformed headers and bodies get FSPIOP errors synchronously', async () => {
    const t = newTransfer('payerfsp', 'payeefsp', '10')
    const headers = fspiopHeaders('payerfsp', 'payeefsp')
    const cases: [Record<string, string>, unknown, string][] = [
      [{ ...headers, 'content-type': 'application/json' }, t.body, '3101'],
      [Object.fromEntries(Object.entries(headers).filter(([k]) => k !== 'fspiop-source')), t.body, '3102'],
      [{ ...headers, accept: 'application/vnd.interoperability.transfers+json;version=9.0' }, t.body, '3001'],
      [headers, { ...t.body, amount: { amount: '-1', currency: 'USD' } }, '3100'],
      [headers, { ...t.body, amount: { amount: '1.001', currency: 'USD' } }, '3100'],
      [headers, { ...t.body, condition: 'short' }, '3100'],
      [headers, Object.fromEntries(Object.entries(t.body).filter(([k]) => k !== 'ilpPacket')), '3102'],
    ]
    for (const [h, body, code] of cases) {
      const r = await send(sw.apiUrl, 'POST', '/transfers', h, body)
      assert.equal(r.body?.errorInformation?.errorCode, code, `${JSON.stringify(body).slice(0, 60)} → ${JSON.stringify(r.body)}`)
    }
    const broken = await fetch(`${sw.apiUrl}/transfers`, { method: 'POST', headers, body: '{"transferId":' })
    assert.equal((await broken.json()).errorInformation.errorCode, '3101')
    assert.equal(await stateOf(t.transferId), undefined)
  })

  test('unknown transfer ids: a fulfil and a GET answer 3208', async () => {
    const t = newTransfer('payerfsp', 'payeefsp', '10')
    assert.equal((await fulfil(sw.apiUrl, t)).status, 200)
    assert.equal((await payee.waitFor((c) => c.path === `/transfers/${t.transferId}/error`)).body.errorInformation.errorCode, '3208')
    const get = await send(sw.apiUrl, 'GET', `/transfers/${t.transferId}`, fspiopHeaders('payerfsp', undefined))
    assert.equal(get.status, 202)
    assert.equal((await toPayer(`/transfers/${t.transferId}/error`)).body.errorInformation.errorCode, '3208')
  })

  test('GET of a committed transfer answers with its state as a callback', async () => {
    const t = newTransfer('payerfsp', 'payeefsp', '15')
    await prepare(sw.apiUrl, t)
    await forwarded(t.transferId)
    await fulfil(sw.apiUrl, t)
    await toPayer(`/transfers/${t.transferId}`)
    const before = payer.received.length
    await send(sw.apiUrl, 'GET', `/transfers/${t.transferId}`, fspiopHeaders('payerfsp', undefined))
    const again = await payer.waitFor((c) => c.path === `/transfers/${t.transferId}` && payer.received.indexOf(c) >= before)
    assert.equal(again.body.transferState, 'COMMITTED')
  })
})

describe('immediate gross settlement', () => {
  test('in a currency settled gross, a commit moves the funds at once and leaves positions flat', async () => {
    const gross = await call(sw.admin, 'POST', '/settlementModels', {
      name: 'GROSS_EUR', settlementGranularity: 'GROSS', settlementInterchange: 'BILATERAL', settlementDelay: 'IMMEDIATE', currency: 'EUR',
      requireLiquidityCheck: true, ledgerAccountType: 'POSITION', settlementAccountType: 'SETTLEMENT', autoPositionReset: true,
    })
    assert.equal(gross.status, 201)
    await setupHub(sw.admin, 'EUR')
    await onboardDfsp(sw.admin, { name: 'payerfsp', currency: 'EUR', ndc: '1000', fundsIn: '1000', endpointBase: payer.url })
    await onboardDfsp(sw.admin, { name: 'payeefsp', currency: 'EUR', ndc: '1000', fundsIn: '1000', endpointBase: payee.url })
    const t = newTransfer('payerfsp', 'payeefsp', '100', { currency: 'EUR' })
    await prepare(sw.apiUrl, t)
    await forwarded(t.transferId)
    await fulfil(sw.apiUrl, t)
    await toPayer(`/transfers/${t.transferId}`)
    const eur = async (name: string, type: string) => (await call(sw.admin, 'GET', `/participants/${name}/accounts`)).body.find((a: AccountBody) => a.currency === 'EUR' && a.ledgerAccountType === type).value
    assert.deepEqual([await eur('payerfsp', 'POSITION'), await eur('payeefsp', 'POSITION')], [0, 0])
    assert.deepEqual([await eur('payerfsp', 'SETTLEMENT'), await eur('payeefsp', 'SETTLEMENT')], [-900, -1100])
  })
})

describe('callback delivery', () => {
  test('a DFSP that cannot take callbacks gets them retried, then dead-lettered with the reason', async () => {
    const t = newTransfer('payerfsp', 'payeefsp', '5')
    payee.answerWith(503)
    await prepare(sw.apiUrl, t)
    let dead: { reason: string; attempts: number } | undefined
    for (let i = 0; i < 100 && !dead; i++) {
      dead = await sw.testDb.db('callback_dead_letter').where({ reference: t.transferId }).first()
      if (!dead) await new Promise((r) => setTimeout(r, 100))
    }
    payee.answerWith(200)
    assert.ok(dead, 'dead letter written')
    assert.match(dead.reason, /503/)
    assert.equal(dead.attempts, 5)
    await reject(sw.apiUrl, t)
    await toPayer(`/transfers/${t.transferId}/error`)
  })
})
