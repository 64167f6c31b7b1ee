// Every HTTP server of the switch bounds how long a request may take to arrive. Raw sockets play the
// slow client; the assertions are "closed, with 408, well before a multiple of the bound", not timings.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { connect, type Socket } from 'node:net'
import { connect as tlsConnect } from 'node:tls'
import { createTestPki, productionConfig, type TestPki } from '../../test/support/mtls.ts'
import type { FastifyInstance } from 'fastify'
import { createTestDb, type TestDb } from '../../test/support/db.ts'
import { testDeps } from '../../test/support/apps.ts'
import { buildAdminApp, buildApiApp, buildHealthApp } from '../app.ts'
import { loadConfig, type LimitsConfig } from '../config/config.ts'

const REQUEST_TIMEOUT_MS = 600
const HEADERS_TIMEOUT_MS = 400
/** "Within the bound" leaves room for a loaded test machine; "indefinitely" is what this rules out. */
const CLOSED_WITHIN_MS = REQUEST_TIMEOUT_MS * 10

let testDb: TestDb
let pki: TestPki
const servers: Record<string, FastifyInstance> = {}

function limits(): LimitsConfig {
  const defaults = loadConfig({}).limits
  return { ...defaults, http: { ...defaults.http, requestTimeout_ms: REQUEST_TIMEOUT_MS, headersTimeout_ms: HEADERS_TIMEOUT_MS, timeoutCheckInterval_ms: 100 } }
}

before(async () => {
  testDb = await createTestDb('httplimits')
  const deps = testDeps(testDb.db, { config: { limits: limits() } })
  servers['FSPIOP API'] = await buildApiApp(deps)
  servers['admin API'] = await buildAdminApp(deps)
  servers.health = await buildHealthApp(deps)
  pki = createTestPki()
  servers['FSPIOP API over mutual TLS'] = await buildApiApp(testDeps(testDb.db, { config: { ...productionConfig(pki), limits: limits() } }))
  for (const server of Object.values(servers)) await server.listen({ host: '127.0.0.1', port: 0 })
})
after(async () => {
  for (const server of Object.values(servers)) await server.close()
  await testDb.drop()
})

/** Writes `written` and then nothing; resolves with what the server sent and when it closed the socket. */
function slowClient(name: string, written: string): Promise<{ answer: string; closedAfter_ms: number }> {
  const { port } = servers[name]!.server.address() as { port: number }
  return new Promise((resolve, reject) => {
    const started = performance.now()
    let socket: Socket
    if (name.includes('mutual TLS')) {
      const identity = pki.issue('slowdfsp')
      socket = tlsConnect({ port, host: '127.0.0.1', ca: pki.ca.cert, cert: identity.cert, key: identity.key, servername: 'localhost' }, () => socket.write(written))
    } else {
      socket = connect(port, '127.0.0.1', () => socket.write(written))
    }
    let answer = ''
    const giveUp = setTimeout(() => { socket.destroy(); reject(new Error(`the server kept the socket open for ${CLOSED_WITHIN_MS} ms`)) }, CLOSED_WITHIN_MS)
    socket.on('data', (chunk) => { answer += chunk.toString() })
    socket.on('error', () => {})
    socket.on('close', () => { clearTimeout(giveUp); resolve({ answer, closedAfter_ms: performance.now() - started }) })
  })
}

/** A POST each server has a route for where it has one (the FSPIOP API without a pipeline has none). */
const BODY_PATHS: Record<string, string> = { 'FSPIOP API': '/transfers', 'FSPIOP API over mutual TLS': '/transfers', 'admin API': '/participants', health: '/health' }

for (const name of Object.keys(BODY_PATHS)) {
  describe(`the ${name} server`, () => {
    // A server may answer at once (404, no such route here) but still waits for the body on the connection.
    test('a connection whose request body never arrives ends with 408 and is closed, within the request timeout', async () => {
      const headers = `POST ${BODY_PATHS[name]} HTTP/1.1\r\nHost: switch\r\nContent-Type: application/vnd.interoperability.transfers+json;version=1.1\r\nContent-Length: 500\r\n\r\n{"transferId":`
      const { answer } = await slowClient(name, headers)
      assert.match(answer, /HTTP\/1\.1 408 Request Timeout/)
    })

    test('a request whose headers never end is answered 408 and its connection closed, within the headers timeout', async () => {
      const { answer } = await slowClient(name, 'GET /health HTTP/1.1\r\nHost: switch\r\nX-Slow: ')
      assert.match(answer, /^HTTP\/1\.1 408 /)
    })
  })
}

test('the timeouts are config.limits.http: 30 s for a request, 10 s for its headers unless AGORA_HTTP_* says otherwise, and headers never outlast the request', () => {
  const { http } = loadConfig({}).limits
  assert.deepEqual(http, { requestTimeout_ms: 30_000, headersTimeout_ms: 10_000, connectionTimeout_ms: 120_000, keepAliveTimeout_ms: 72_000, timeoutCheckInterval_ms: 1_000 })
  assert.equal(loadConfig({ AGORA_HTTP_REQUEST_TIMEOUT_MS: '5000', AGORA_HTTP_HEADERS_TIMEOUT_MS: '2000' }).limits.http.requestTimeout_ms, 5000)
  assert.throws(() => loadConfig({ AGORA_HTTP_REQUEST_TIMEOUT_MS: '5000', AGORA_HTTP_HEADERS_TIMEOUT_MS: '6000' }), /must not exceed AGORA_HTTP_REQUEST_TIMEOUT_MS/)
  assert.throws(() => loadConfig({ AGORA_HTTP_REQUEST_TIMEOUT_MS: '0' }), /at least 1/)
})
