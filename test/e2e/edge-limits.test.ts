// Limits at the FSPIOP edge, through the real switch: expirations beyond the horizon, amounts that are not
// strings, bodies over the size limit and a participant over its request rate are refused at once, in
// the FSPIOP error shape, and change nothing.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import type { SwitchHarness } from '../support/switch-harness.ts'
import { startSwitchWithDfsps } from '../support/dfsp-pair.ts'
import { fspiopHeaders, newTransfer, send } from '../support/fspiop-client.ts'
import { loadConfig } from '../../switch/config/config.ts'

let sw: SwitchHarness
let stop: () => Promise<void>
const defaults = loadConfig({}).limits
const HORIZON_S = 3_600
const RATE = { perParticipant_per_s: 1, burst: 10 }
const BODY_LIMIT_BYTES = 65_536

before(async () => {
  const limits = { ...defaults, expirationHorizon_s: HORIZON_S, rate: RATE, body: { ...defaults.body, fspiop_bytes: BODY_LIMIT_BYTES } }
  ;({ sw, stop } = await startSwitchWithDfsps('edgelimits', ['payerfsp', 'payeefsp'], { config: { limits } }))
})
after(async () => stop())

const YEAR_2999 = '2999-12-31T23:59:59.999Z'
const quote = (overrides: Record<string, unknown> = {}) => ({
  quoteId: randomUUID(), transactionId: randomUUID(), amountType: 'SEND', amount: { amount: '5', currency: 'USD' },
  payee: { partyIdInfo: { partyIdType: 'MSISDN', partyIdentifier: '255123456', fspId: 'payeefsp' } },
  payer: { partyIdInfo: { partyIdType: 'MSISDN', partyIdentifier: '255999999', fspId: 'payerfsp' } },
  transactionType: { scenario: 'TRANSFER', initiator: 'PAYER', initiatorType: 'CONSUMER' }, ...overrides,
})

describe('expiration horizon', () => {
  test('a transfer expiring beyond the horizon (the year 2999) is refused with 3100 and nothing is stored', async () => {
    const t = newTransfer('payerfsp', 'payeefsp', '1')
    const r = await send(sw.apiUrl, 'POST', '/transfers', fspiopHeaders('payerfsp', 'payeefsp'), { ...t.body, expiration: YEAR_2999 })
    assert.equal(r.status, 400)
    assert.equal(r.body.errorInformation.errorCode, '3100')
    assert.match(r.body.errorInformation.errorDescription, new RegExp(`more than ${HORIZON_S} s ahead`))
    assert.equal(await sw.testDb.db('transfer').where({ id: t.transferId }).first(), undefined)
  })

  test('a transfer expiring within the horizon is accepted', async () => {
    const t = newTransfer('payerfsp', 'payeefsp', '1', { expiresIn_ms: (HORIZON_S - 60) * 1000 })
    assert.equal((await send(sw.apiUrl, 'POST', '/transfers', fspiopHeaders('payerfsp', 'payeefsp'), t.body)).status, 202)
  })

  test('a quote and a transaction request expiring beyond the horizon are refused with 3100', async () => {
    const q = await send(sw.apiUrl, 'POST', '/quotes', fspiopHeaders('payerfsp', 'payeefsp', '1.1', 'quotes'), quote({ expiration: YEAR_2999 }))
    assert.deepEqual([q.status, q.body.errorInformation.errorCode], [400, '3100'])
    const request = {
      transactionRequestId: randomUUID(), payee: { partyIdInfo: { partyIdType: 'MSISDN', partyIdentifier: '1', fspId: 'payeefsp' } }, payer: { partyIdType: 'MSISDN', partyIdentifier: '2', fspId: 'payerfsp' },
      amount: { amount: '5', currency: 'USD' }, transactionType: { scenario: 'PAYMENT', initiator: 'PAYEE', initiatorType: 'BUSINESS' }, expiration: YEAR_2999,
    }
    const tr = await send(sw.apiUrl, 'POST', '/transactionRequests', fspiopHeaders('payeefsp', 'payerfsp', '1.1', 'transactionRequests'), request)
    assert.deepEqual([tr.status, tr.body.errorInformation.errorCode], [400, '3100'])
  })
})

describe('amounts are strings', () => {
  // The API definition types Amount as a string; a JSON number is a type error, which Mojaloop maps to 3101.
  for (const version of ['1.0', '1.1', '2.0'] as const) {
    test(`a transfer (FSPIOP ${version}) whose amount is a JSON number is refused with 3101 (malformed syntax) and nothing is stored`, async () => {
      const t = newTransfer('payerfsp', 'payeefsp', '1')
      const r = await send(sw.apiUrl, 'POST', '/transfers', fspiopHeaders('payerfsp', 'payeefsp', version), { ...t.body, amount: { amount: 1, currency: 'USD' } })
      assert.equal(r.status, 400)
      assert.equal(r.body.errorInformation.errorCode, '3101')
      assert.match(r.body.errorInformation.errorDescription, /amount\/amount must be string/)
      assert.equal(await sw.testDb.db('transfer').where({ id: t.transferId }).first(), undefined)
    })
  }

  test('a quote whose amount is a JSON number is refused with 3101 (malformed syntax)', async () => {
    const r = await send(sw.apiUrl, 'POST', '/quotes', fspiopHeaders('payerfsp', 'payeefsp', '1.1', 'quotes'), quote({ amount: { amount: 5, currency: 'USD' } }))
    assert.equal(r.status, 400)
    assert.equal(r.body.errorInformation.errorCode, '3101')
    assert.match(r.body.errorInformation.errorDescription, /amount\/amount must be string/)
  })
})

describe('body size', () => {
  test('a body over the FSPIOP body limit is refused with 413 and the FSPIOP error 3104 (too large payload), not fastify\'s own error', async () => {
    const t = newTransfer('payerfsp', 'payeefsp', '1')
    const padded = { ...t.body, extensionList: { extension: [{ key: 'pad', value: 'x'.repeat(BODY_LIMIT_BYTES) }] } }
    const r = await send(sw.apiUrl, 'POST', '/transfers', fspiopHeaders('payerfsp', 'payeefsp'), padded)
    assert.equal(r.status, 413)
    assert.deepEqual(Object.keys(r.body), ['errorInformation'])
    assert.equal(r.body.errorInformation.errorCode, '3104')
    assert.equal(r.body.errorInformation.errorDescription, 'Too large payload')
  })
})

describe('rate per participant', () => {
  test('a participant over its burst is answered 429 with 2005 (server busy) and a Retry-After; another participant is not slowed', async () => {
    const statuses: number[] = []
    let refused: Response | undefined
    for (let i = 0; i < RATE.burst + 10; i++) {
      const response = await fetch(`${sw.apiUrl}/transfers/${randomUUID()}`, { headers: fspiopHeaders('flooding-dfsp', undefined) })
      statuses.push(response.status)
      if (response.status === 429) refused ??= response
      else await response.arrayBuffer()
    }
    assert.ok(statuses.slice(0, RATE.burst).every((s) => s !== 429), `the first ${RATE.burst} pass: ${statuses}`)
    assert.ok(statuses.slice(RATE.burst).some((s) => s === 429), `later ones are refused: ${statuses}`)
    assert.ok(Number(refused!.headers.get('retry-after')) >= 1)
    const body = await refused!.json()
    assert.equal(body.errorInformation.errorCode, '2005')
    assert.match(body.errorInformation.errorDescription, /flooding-dfsp is over 1 requests\/s/)
    const other = await send(sw.apiUrl, 'GET', `/transfers/${randomUUID()}`, fspiopHeaders('payeefsp', undefined))
    assert.equal(other.status, 202)
  })

  test('the rate limit is on by default at 5,000 requests/s with a burst of 10,000 per participant; AGORA_RATE_LIMIT_PER_S=0 turns it off', () => {
    assert.deepEqual(defaults.rate, { perParticipant_per_s: 5_000, burst: 10_000 })
    assert.equal(loadConfig({ AGORA_RATE_LIMIT_PER_S: '0' }).limits.rate.perParticipant_per_s, 0)
  })
})
