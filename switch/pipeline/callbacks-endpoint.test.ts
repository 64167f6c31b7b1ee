// The callback sender calls only http: and https: endpoints (an endpoint stored before the rule, or
// written straight to the database, is refused at delivery, once, not retried), and what the hub
// originates names in FSPIOP-URI (and signs) the path it is really sent to.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createCallbackSender } from './callbacks.ts'
import type { Callback } from '../fspiop/callback.ts'
import type { DirectoryParticipant, ParticipantDirectory } from '../fspiop/directory.ts'

let server: Server
let base: string
const received: IncomingMessage[] = []
before(async () => {
  server = createServer((request, response) => { received.push(request); request.resume(); response.end() })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
after(() => new Promise<void>((resolve) => server.close(() => resolve())))

const directoryWith = (endpoints: Record<string, string>): ParticipantDirectory => ({
  async get(name) {
    const p: DirectoryParticipant = { id: 1, name, isActive: true, isHub: false, endpoints: new Map(Object.entries(endpoints)), accounts: new Map(), publicKey: undefined, apiMode: 'FSPIOP' }
    return p
  },
  async certificate() { return undefined },
  cachedEntries: 0,
  invalidate() {},
  close() {},
})

const transferError = (transferId: string): Callback => ({
  to: 'payerfsp', endpointType: 'FSPIOP_CALLBACK_URL_TRANSFER_ERROR', method: 'PUT', path: `/transfers/${transferId}/error`, params: { transferId },
  resource: 'transfers', version: '1.1', source: 'Hub', destination: 'payerfsp', hubOriginated: true,
  body: { errorInformation: { errorCode: '4001', errorDescription: 'Payer FSP insufficient liquidity' } },
})

test('a stored file:, ftp: or javascript: endpoint is not called, and the delivery fails at once, saying why', async () => {
  for (const template of ['file:///etc/passwd', 'ftp://payerfsp.example/transfers/{{transferId}}/error', 'javascript:alert(1)']) {
    const sender = createCallbackSender({ directory: directoryWith({ FSPIOP_CALLBACK_URL_TRANSFER_ERROR: template }), backoffFirst_ms: 1 })
    const delivery = await sender.deliver(transferError('t1'))
    await sender.close()
    assert.equal(delivery.ok, false, template)
    assert.equal(delivery.attempts, 0, 'not attempted, not retried')
    assert.match(delivery.ok ? '' : delivery.reason, /^payerfsp FSPIOP_CALLBACK_URL_TRANSFER_ERROR: endpoint scheme \w+: is not allowed; it must be an http: or https: URL$/)
  }
})

test('an http: endpoint under a base path is called, and the hub\'s FSPIOP-URI and signature name the path it is sent to', async () => {
  let signed: Record<string, string> | undefined
  const sender = createCallbackSender({
    directory: directoryWith({ FSPIOP_CALLBACK_URL_TRANSFER_ERROR: `${base}/mojaloop/v1/transfers/{{transferId}}/error` }),
    sign: (_c, headers) => { signed = { ...headers }; return 'signature' },
  })
  const delivery = await sender.deliver(transferError('t2'))
  await sender.close()
  assert.equal(delivery.ok, true)
  const request = received.at(-1)!
  assert.equal(request.url, '/mojaloop/v1/transfers/t2/error')
  assert.equal(request.headers['fspiop-uri'], '/transfers/t2/error')
  assert.equal(request.headers['fspiop-http-method'], 'PUT')
  assert.equal(request.headers['fspiop-signature'], 'signature')
  assert.equal(signed?.['fspiop-uri'], '/transfers/t2/error', 'what is signed is what is sent')
  assert.equal(signed?.date, request.headers.date)
})
