// Run as a child process by no-secrets-in-logs.test.ts: a whole switch with tracing on (every span kept,
// in memory) and its logs at level trace written to a file through the switch's own logger options, then
// an e2e flow with every kind of secret in it: an operator's web login (a wrong and a right password, the
// session cookie), a funds in, a lookup of an MSISDN with the party's name, a quote, a transfer with its
// ILP packet, condition and fulfilment, one with a wrong fulfilment (the hub signs its own callback with
// its private key), and Authorization headers on every request. Writes the spans to a file and prints the
// secrets it used as one JSON line, for the test to grep the logs and spans for.
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace'
import { startTracing } from '../../switch/observability/tracing.ts'

const [logFile, spanFile, keyFile] = process.argv.slice(2) as [string, string, string]
const exporter = new InMemorySpanExporter()
const tracing = startTracing({ enabled: true, sampleRatio: 1, otlpEndpoint: undefined }, exporter)

const pino = (await import('pino')).default
const { loggerOptions } = await import('../../switch/observability/logger.ts')
const { createTestDb } = await import('../support/db.ts')
const { createTopics, openTestBus } = await import('../support/kafka.ts')
const { testDeps } = await import('../support/apps.ts')
const { buildAdminApp, buildApiApp } = await import('../../switch/app.ts')
const { startPipeline } = await import('../../switch/pipeline/pipeline.ts')
const { startTestDfsp } = await import('../support/dfsp-server.ts')
const { onboardDfsp, setupHub } = await import('../support/fixtures.ts')
const { fspiopHeaders, send } = await import('../support/fspiop-client.ts')
const { conditionOf } = await import('../../ledger/domain/fulfilment.ts')
const { hashPassword } = await import('../../switch/web/passwords.ts')
const { JWS_DATE_WINDOW_S, loadConfig } = await import('../../switch/config.ts')

const hubKey = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } })
writeFileSync(keyFile, hubKey.privateKey)
const secrets = {
  password: 'olga-Correct-Horse-7731', wrongPassword: 'olga-Wrong-Guess-4412', bearerToken: `agora-op-${randomBytes(18).toString('base64url')}`,
  msisdn: `2557${String(Date.now()).slice(-8)}`, payerMsisdn: `2556${String(Date.now()).slice(-8)}`, firstName: 'Zawadi', lastName: 'Mwangaza',
  fulfilment: randomBytes(32).toString('base64url'), ilpPacket: randomBytes(48).toString('base64url'),
  privateKeyLine: hubKey.privateKey.split('\n')[5]!, sessionCookie: '', hubSignatures: [] as string[],
}
const condition = conditionOf(secrets.fulfilment)

const log = pino(loggerOptions('trace', 'agora'), pino.destination({ dest: logFile, sync: true }))
const testDb = await createTestDb('nosecrets')
const bus = openTestBus('nosecrets', 1)
await createTopics(bus, bus.config)
const users = [{ name: 'olga', roles: ['operator'] as const, passwordHash: hashPassword(secrets.password) }]
const config = { ...loadConfig({ ...process.env, AGORA_ENV: 'development' }), jws: { sign: true, validateInbound: false, hubPrivateKeyFile: keyFile, dateWindow_s: JWS_DATE_WINDOW_S }, web: { users, sessionSecret: randomBytes(16).toString('hex') } }
const deps = { ...testDeps(testDb.db, { bus, config }), log }
const pipeline = await startPipeline(deps, { callbackBackoffFirst_ms: 20, timeoutScan_ms: 250 })
await pipeline.ready
const api = await buildApiApp(deps, pipeline)
await api.listen({ host: '127.0.0.1', port: 0 })
const admin = await buildAdminApp(deps)
await admin.listen({ host: '127.0.0.1', port: 0 })
const apiUrl = `http://127.0.0.1:${(api.server.address() as { port: number }).port}`
const adminUrl = `http://127.0.0.1:${(admin.server.address() as { port: number }).port}`
const payer = await startTestDfsp('payerfsp')
const payee = await startTestDfsp('payeefsp')
const authorization = `Bearer ${secrets.bearerToken}`

function expect(ok: boolean, what: string): void {
  if (!ok) throw new Error(`flow: ${what}`)
}

try {
  await setupHub(admin, 'USD')
  for (const dfsp of [payer, payee]) await onboardDfsp(admin, { name: dfsp.name, ndc: '1000', fundsIn: '1000', endpointBase: dfsp.url })

  // The operator logs in to the web view (once wrong), then records a funds in over HTTP with a token.
  const login = (password: string) => fetch(`${adminUrl}/ui/login`, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: JSON.stringify({ name: 'olga', password }) })
  expect((await login(secrets.wrongPassword)).status === 400, 'the wrong password is refused')
  const loggedIn = await login(secrets.password)
  expect(loggedIn.status === 200, 'the right password gets in')
  secrets.sessionCookie = /agora_session=([^;]+)/.exec(loggedIn.headers.get('set-cookie') ?? '')![1]!
  const me = await fetch(`${adminUrl}/ui/api/me`, { headers: { cookie: `agora_session=${secrets.sessionCookie}` } })
  expect(me.status === 200, 'the session works')
  const accounts = (await (await fetch(`${adminUrl}/participants/payerfsp/accounts`, { headers: { authorization } })).json()) as { id: number; ledgerAccountType: string }[]
  const settlement = accounts.find((a) => a.ledgerAccountType === 'SETTLEMENT')!
  const funded = await fetch(`${adminUrl}/participants/payerfsp/accounts/${settlement.id}`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization, 'x-agora-operator': 'olga' },
    body: JSON.stringify({ transferId: randomUUID(), action: 'recordFundsIn', reason: 'top up', amount: { amount: '250', currency: 'USD' } }),
  })
  expect(funded.status === 202, 'funds in')

  const h = (resource: string, source: string, destination?: string, callback = false) => {
    const headers = { ...fspiopHeaders(source, destination, '1.1', resource), authorization, cookie: `agora_session=${secrets.sessionCookie}` }
    if (callback) delete (headers as Record<string, string>).accept
    return headers
  }
  // Lookup: the payee registers its customer, the payer looks them up and gets their name.
  expect((await send(apiUrl, 'POST', `/participants/MSISDN/${secrets.msisdn}`, h('participants', 'payeefsp'), { fspId: 'payeefsp', currency: 'USD' })).status === 202, 'party registered')
  await payee.waitFor((c) => c.path === `/participants/MSISDN/${secrets.msisdn}`)
  expect((await send(apiUrl, 'GET', `/parties/MSISDN/${secrets.msisdn}`, h('parties', 'payerfsp'))).status === 202, 'lookup')
  const firstLookup = await payee.waitFor((c) => c.method === 'GET' && c.path === `/parties/MSISDN/${secrets.msisdn}`)
  const party = { partyIdInfo: { partyIdType: 'MSISDN', partyIdentifier: secrets.msisdn, fspId: 'payeefsp' }, name: `${secrets.firstName} ${secrets.lastName}`, personalInfo: { complexName: { firstName: secrets.firstName, lastName: secrets.lastName } } }
  expect((await send(apiUrl, 'PUT', `/parties/MSISDN/${secrets.msisdn}`, h('parties', 'payeefsp', 'payerfsp', true), { party })).status === 200, 'party answered')
  await payer.waitFor((c) => c.method === 'PUT' && c.path === `/parties/MSISDN/${secrets.msisdn}`)

  // Quote, then the transfer with the quote's ILP packet and condition.
  const quoteId = randomUUID()
  const transactionId = randomUUID()
  const quote = {
    quoteId, transactionId, amountType: 'SEND', amount: { amount: '75', currency: 'USD' },
    payee: { partyIdInfo: party.partyIdInfo }, payer: { partyIdInfo: { partyIdType: 'MSISDN', partyIdentifier: secrets.payerMsisdn, fspId: 'payerfsp' } },
    transactionType: { scenario: 'TRANSFER', initiator: 'PAYER', initiatorType: 'CONSUMER' },
  }
  expect((await send(apiUrl, 'POST', '/quotes', h('quotes', 'payerfsp', 'payeefsp'), quote)).status === 202, 'quote')
  await payee.waitFor((c) => c.method === 'POST' && c.path === '/quotes')
  const answer = { transferAmount: { amount: '75', currency: 'USD' }, expiration: new Date(Date.now() + 60_000).toISOString(), ilpPacket: secrets.ilpPacket, condition }
  expect((await send(apiUrl, 'PUT', `/quotes/${quoteId}`, h('quotes', 'payeefsp', 'payerfsp', true), answer)).status === 200, 'quote answered')
  await payer.waitFor((c) => c.path === `/quotes/${quoteId}`)
  const transferId = randomUUID()
  const transfer = { transferId, payerFsp: 'payerfsp', payeeFsp: 'payeefsp', amount: { amount: '75', currency: 'USD' }, ilpPacket: secrets.ilpPacket, condition, expiration: answer.expiration }
  expect((await send(apiUrl, 'POST', '/transfers', h('transfers', 'payerfsp', 'payeefsp'), transfer)).status === 202, 'prepare')
  await payee.waitFor((c) => c.method === 'POST' && c.path === '/transfers')
  const fulfil = { transferState: 'COMMITTED', fulfilment: secrets.fulfilment, completedTimestamp: new Date().toISOString() }
  expect((await send(apiUrl, 'PUT', `/transfers/${transferId}`, h('transfers', 'payeefsp', 'payerfsp', true), fulfil)).status === 200, 'fulfil')
  const committed = await payer.waitFor((c) => c.method === 'PUT' && c.path === `/transfers/${transferId}`)
  expect(committed.body.transferState === 'COMMITTED', 'committed')

  // A wrong fulfilment: the hub answers both sides itself, signed with its key.
  const second = { ...transfer, transferId: randomUUID() }
  expect((await send(apiUrl, 'POST', '/transfers', h('transfers', 'payerfsp', 'payeefsp'), second)).status === 202, 'second prepare')
  await payee.waitFor((c) => c.method === 'POST' && c.body?.transferId === second.transferId)
  await send(apiUrl, 'PUT', `/transfers/${second.transferId}`, h('transfers', 'payeefsp', 'payerfsp', true), { ...fulfil, fulfilment: randomBytes(32).toString('base64url') })
  const refused = await payer.waitFor((c) => c.path === `/transfers/${second.transferId}/error`)
  for (const c of [...payer.received, ...payee.received, refused]) {
    const signature = c.headers['fspiop-signature']
    if (typeof signature === 'string' && c.headers['fspiop-source'] === 'Hub') secrets.hubSignatures.push(signature)
  }
  expect(secrets.hubSignatures.length > 0, 'the hub signed its callbacks')

  // A payer that refuses its lookup answer: the callback is dead-lettered, and that is logged.
  payer.answerWith(400)
  expect((await send(apiUrl, 'GET', `/parties/MSISDN/${secrets.msisdn}`, h('parties', 'payerfsp'))).status === 202, 'second lookup')
  await payee.waitFor((c) => c !== firstLookup && c.method === 'GET' && c.path === `/parties/MSISDN/${secrets.msisdn}`)
  expect((await send(apiUrl, 'PUT', `/parties/MSISDN/${secrets.msisdn}`, h('parties', 'payeefsp', 'payerfsp', true), { party })).status === 200, 'second party answer')
  for (let i = 0; i < 100 && Number((await testDb.db('callback_dead_letter').count({ n: '*' }).first())!.n) === 0; i++) await new Promise((r) => setTimeout(r, 100))
  expect(Number((await testDb.db('callback_dead_letter').count({ n: '*' }).first())!.n) > 0, 'the refused callback is dead-lettered')
} finally {
  await api.close()
  await admin.close()
  await pipeline.stop()
  await bus.close()
  await payer.close()
  await payee.close()
  await testDb.drop()
  await tracing.flush()
}
const spans = exporter.getFinishedSpans().map((s) => JSON.stringify({
  name: s.name, scope: s.instrumentationScope.name, attributes: s.attributes, status: s.status,
  events: s.events.map((e) => ({ name: e.name, attributes: e.attributes })),
}))
writeFileSync(spanFile, spans.join('\n'))
await tracing.shutdown()
console.log(JSON.stringify({ secrets, condition, spans: spans.length }))
