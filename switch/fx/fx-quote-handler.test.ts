// The fxQuote rules of the quote handler's batch, on the in-memory pipeline store (no Kafka, no MariaDB).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { createMemoryPipelineStore } from '../store/memory-pipeline-store.ts'
import { requestHash } from '../../ledger/domain/request-hash.ts'
import type { QuoteMessage } from '../quotes/quote-messages.ts'
import type { DirectoryParticipant } from '../fspiop/directory.ts'
import { applyFxQuotes } from './fx-quote-handler.ts'
import { fxQuoteRefusal } from './fx-quote-routes.ts'

const store = () => createMemoryPipelineStore({ clock: () => new Date('2026-12-04T12:00:00Z') })
const run = (s: ReturnType<typeof store>, messages: QuoteMessage[]) => s.batch(({ pipeline }) => applyFxQuotes(pipeline, 'Hub', messages))

function request(id: string = randomUUID(), sourceAmount = '100'): QuoteMessage {
  const body = {
    conversionRequestId: id,
    conversionTerms: {
      conversionId: randomUUID(), initiatingFsp: 'payer', counterPartyFsp: 'fxp', amountType: 'SEND', sourceAmount: { currency: 'USD', amount: sourceAmount },
      targetAmount: { currency: 'TZS' }, expiration: '2026-12-04T12:01:00Z',
    },
  }
  return { kind: 'request', quoteId: id, source: 'payer', destination: 'fxp', version: '2.0', hash: requestHash(body), body, passHeaders: {}, resource: 'fxQuotes' }
}

function answer(id: string, source = 'fxp', amount = '265000'): QuoteMessage {
  const body = { conversionTerms: { sourceAmount: { currency: 'USD', amount: '100' }, targetAmount: { currency: 'TZS', amount } } }
  return { kind: 'response', quoteId: id, source, destination: 'payer', version: '2.0', hash: requestHash(body), body, passHeaders: {}, resource: 'fxQuotes' }
}

test('a resent fxQuote request still unanswered is ignored (the FXP was asked once); one with another body is 3106', async () => {
  const s = store()
  const first = request()
  assert.deepEqual((await run(s, [first])).map((n) => [n.to, n.method, n.path]), [['fxp', 'POST', '/fxQuotes']])
  assert.deepEqual(await run(s, [first]), [])
  const modified = await run(s, [request(first.quoteId, '101')])
  assert.equal(modified.length, 1)
  assert.equal(modified[0]!.path, `/fxQuotes/${first.quoteId}/error`)
  assert.equal((modified[0]!.body as { errorInformation: { errorCode: string } }).errorInformation.errorCode, '3106')
})

test('the FXP\'s answer is stored with its amounts and sent once; the same answer again is ignored, another is 3106 to the FXP', async () => {
  const s = store()
  const m = request()
  await run(s, [m])
  const forwarded = await run(s, [answer(m.quoteId)])
  assert.deepEqual(forwarded.map((n) => [n.to, n.path]), [['payer', `/fxQuotes/${m.quoteId}`]])
  const row = s.tables.fxQuotes.get(m.quoteId)!
  assert.equal(row.state, 'ACCEPTED')
  assert.equal(row.quoted_target_amount, '265000.0000')
  assert.deepEqual(await run(s, [answer(m.quoteId)]), [])
  const changed = await run(s, [answer(m.quoteId, 'fxp', '1')])
  assert.deepEqual(changed.map((n) => [n.to, n.path]), [['fxp', `/fxQuotes/${m.quoteId}/error`]])
})

test('an answer to an unknown conversion request is 3205 to its sender', async () => {
  const out = await run(store(), [answer(randomUUID())])
  assert.equal((out[0]!.body as { errorInformation: { errorCode: string } }).errorInformation.errorCode, '3205')
})

const participant = (name: string, currencies: string[], more: Partial<DirectoryParticipant> = {}): DirectoryParticipant => ({
  id: 1, name, isActive: true, isHub: false, publicKey: undefined, apiMode: 'FSPIOP',
  endpoints: new Map([['FSPIOP_CALLBACK_URL_FX_QUOTES', 'http://x']]),
  accounts: new Map(currencies.map((c) => [`${c}:POSITION`, { id: 1, isActive: true }])), ...more,
})

test('quoting-service refuses an fxQuote whose FXP lacks an active POSITION account in either currency with 3100, and one without an FX quotes endpoint with 3201', () => {
  const payer = participant('payer', ['USD'])
  assert.equal(fxQuoteRefusal(payer, 'fxp', participant('fxp', ['USD', 'TZS']), ['USD', 'TZS']), undefined)
  assert.equal(fxQuoteRefusal(payer, 'fxp', participant('fxp', ['USD']), ['USD', 'TZS'])?.code, '3100')
  assert.equal(fxQuoteRefusal(payer, 'fxp', undefined, ['USD', 'TZS'])?.code, '3100')
  assert.equal(fxQuoteRefusal(payer, 'fxp', participant('fxp', ['USD', 'TZS'], { isActive: false }), ['USD', 'TZS'])?.code, '3100')
  assert.equal(fxQuoteRefusal(payer, 'fxp', participant('fxp', ['USD', 'TZS'], { endpoints: new Map() }), ['USD', 'TZS'])?.code, '3201')
  assert.equal(fxQuoteRefusal(participant('payer', ['USD'], { isActive: false }), 'fxp', participant('fxp', ['USD', 'TZS']), ['USD', 'TZS'])?.code, '3202')
})
