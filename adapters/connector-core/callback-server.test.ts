// The callback server's FSPIOP-Signature check: with keys configured, a message with a body is taken
// only when signed by its FSPIOP-Source's key, for this method and path, over the body as sent.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { outgoingHeaders } from '../../switch/fspiop/headers.ts'
import { signJws } from '../../switch/fspiop/jws.ts'
import { silentLogger } from '../../switch/observability/logger.ts'
import type { BulkPayee } from './bulk-payee.ts'
import { buildCallbackServer } from './callback-server.ts'
import type { Payee } from './payee.ts'
import type { Payer } from './payer.ts'
import { Waiters } from './waiters.ts'

const pem = () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  return { privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString() }
}

test('a signed quote callback is taken; one with a changed body, another signer or no signature is refused with 3105', async () => {
  const payer = pem()
  const stranger = pem()
  const waiters = new Waiters()
  const app = buildCallbackServer({ payer: {} as Payer, payee: {} as Payee, bulkPayee: {} as BulkPayee, waiters, logger: silentLogger(), verifyKeys: new Map([['payerfsp', payer.publicKey]]) })
  const path = '/quotes/q1'
  const body = JSON.stringify({ transferAmount: { amount: '1', currency: 'USD' } })
  const headers = outgoingHeaders({ resource: 'quotes', version: '1.1', source: 'payerfsp', destination: 'me', method: 'PUT', path, hubOriginated: true })
  const put = (h: Record<string, string>, payload: string) => app.inject({ method: 'PUT', url: path, headers: h, payload })

  const answer = waiters.wait('quote:q1', 5_000)
  const signed = await put({ ...headers, 'fspiop-signature': signJws(headers, body, payer.privateKey) }, body)
  assert.equal(signed.statusCode, 200)
  assert.deepEqual(await answer, JSON.parse(body))

  const changed = await put({ ...headers, 'fspiop-signature': signJws(headers, body, payer.privateKey) }, body.replace('"1"', '"100"'))
  assert.equal(changed.statusCode, 400)
  assert.equal(changed.json().errorInformation.errorCode, '3105')
  const otherKey = await put({ ...headers, 'fspiop-signature': signJws(headers, body, stranger.privateKey) }, body)
  assert.equal(otherKey.json().errorInformation.errorCode, '3105')
  const unsigned = await put(headers, body)
  assert.equal(unsigned.json().errorInformation.errorCode, '3105')
  await app.close()
})

test('an unsigned PUT /transfers/{id} (the switch\'s COMMITTED for a RESERVED payee) reaches the payer only for a COMMITTED state, to be proved by its fulfilment', async () => {
  const resolved: unknown[] = []
  const payer = { resolve: async (_id: string, outcome: unknown) => { resolved.push(outcome) } } as unknown as Payer
  const payee = { isPayeeOf: async () => false } as unknown as Payee
  const app = buildCallbackServer({ payer, payee, bulkPayee: {} as BulkPayee, waiters: new Waiters(), logger: silentLogger(), verifyKeys: new Map([['payeefsp', pem().publicKey]]) })
  const headers = outgoingHeaders({ resource: 'transfers', version: '1.1', source: 'payeefsp', destination: 'payerfsp', method: 'PUT', path: '/transfers/t1', hubOriginated: false })
  const committed = { transferState: 'COMMITTED', fulfilment: 'x'.repeat(43) }
  assert.equal((await app.inject({ method: 'PUT', url: '/transfers/t1', headers, payload: JSON.stringify(committed) })).statusCode, 200)
  assert.equal((await app.inject({ method: 'PUT', url: '/transfers/t2', headers, payload: JSON.stringify({ transferState: 'ABORTED' }) })).statusCode, 200)
  const error = await app.inject({ method: 'PUT', url: '/transfers/t3/error', headers, payload: JSON.stringify({ errorInformation: { errorCode: '5104', errorDescription: 'no' } }) })
  assert.equal(error.statusCode, 400, 'an unsigned error is refused')
  await new Promise((r) => setTimeout(r, 50))
  assert.deepEqual(resolved, [{ body: committed }], 'only the COMMITTED state is handed on')
  await app.close()
})
