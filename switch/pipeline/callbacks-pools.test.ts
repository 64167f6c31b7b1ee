// Each DFSP has its own connection pool: a DFSP holding all its connections open (black-holed) leaves
// another DFSP served from the same origin its own connections, so its callback is delivered.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer, type ServerResponse, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createCallbackSender, CONNECTIONS_PER_DFSP } from './callbacks.ts'
import type { Callback } from '../fspiop/callback.ts'
import type { DirectoryParticipant, ParticipantDirectory } from '../fspiop/directory.ts'

let server: Server
let base: string
const held: ServerResponse[] = []
before(async () => {
  server = createServer((request, response) => {
    request.resume()
    if (request.url?.startsWith('/silentfsp/')) held.push(response)
    else response.end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
after(() => { for (const r of held) r.destroy(); server.closeAllConnections(); return new Promise<void>((resolve) => server.close(() => resolve())) })

const directory: ParticipantDirectory = {
  async get(name) {
    const endpoints = new Map([['FSPIOP_CALLBACK_URL_TRANSFER_ERROR', `${base}/${name}/transfers/{{transferId}}/error`]])
    const p: DirectoryParticipant = { id: 1, name, isActive: true, isHub: false, endpoints, accounts: new Map(), publicKey: undefined, apiMode: 'FSPIOP' }
    return p
  },
  async certificate() { return undefined },
  invalidate() {},
  close() {},
  cachedEntries: 0,
}

const transferError = (to: string, transferId: string): Callback => ({
  to, endpointType: 'FSPIOP_CALLBACK_URL_TRANSFER_ERROR', method: 'PUT', path: `/transfers/${transferId}/error`, params: { transferId },
  resource: 'transfers', version: '1.1', source: 'Hub', destination: to, hubOriginated: true,
  body: { errorInformation: { errorCode: '3303', errorDescription: 'Transfer expired' } },
})

test('a DFSP that holds every connection of its pool open does not take the connections of another DFSP on the same origin', async () => {
  const sender = createCallbackSender({ directory, attemptTimeout_ms: 3_000 })
  try {
    let silentEnded = 0
    const silent = Array.from({ length: CONNECTIONS_PER_DFSP + 8 }, (_, i) => sender.attempt(transferError('silentfsp', `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`)).finally(() => silentEnded++))
    while (held.length < CONNECTIONS_PER_DFSP) await new Promise((r) => setTimeout(r, 10))
    const answer = await sender.attempt(transferError('healthyfsp', '11111111-1111-4111-8111-111111111111'))
    assert.equal(answer.ok, true, 'the healthy DFSP got its callback')
    assert.equal(silentEnded, 0, 'it got it while the silent DFSP still held its pool (not after its tries timed out)')
    assert.equal(held.length, CONNECTIONS_PER_DFSP, 'the silent DFSP held exactly its own pool')
    for (const r of held) r.end()
    await Promise.all(silent)
  } finally {
    await sender.close()
  }
})
