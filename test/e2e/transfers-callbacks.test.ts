// Callback delivery when a DFSP misbehaves, end to end over real HTTP, Kafka and MariaDB: a DFSP that does
// not answer holds up the callbacks of the other DFSPs on its Kafka partition for one try at most (every
// topic has one partition here, so they all share it); its own callbacks are retried until it answers.
import { after, afterEach, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { startSwitch, type SwitchHarness } from '../support/switch-harness.ts'
import { startTestDfsp, type TestDfsp } from '../support/dfsp-server.ts'
import { onboardDfsp, setupHub } from '../support/fixtures.ts'
import { fulfil, newTransfer, prepare } from '../support/fspiop-client.ts'
import { pendingCallbackRetries } from '../../switch/store/callback-retries.ts'
import { assertSwitchInvariants } from '../support/switch-invariants.ts'

/** A DFSP whose server takes requests and does not answer them until released. */
interface SilentDfsp {
  url: string
  transfersSeen: Set<string>
  release(): void
  close(): Promise<void>
}

async function startSilentDfsp(name: string): Promise<SilentDfsp> {
  const held: ServerResponse[] = []
  const transfersSeen = new Set<string>()
  let silent = true
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const match = /\/transfers\/?([0-9a-f-]{36})?/.exec(req.url ?? '')
    let body = ''
    req.on('data', (chunk) => { body += chunk })
    req.on('end', () => {
      const id = match?.[1] ?? (body ? JSON.parse(body).transferId : undefined)
      if (id) transfersSeen.add(id)
      if (silent) held.push(res)
      else res.writeHead(200).end()
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}/${name}`,
    transfersSeen,
    release() {
      silent = false
      for (const res of held.splice(0)) res.destroy()
    },
    async close() {
      server.closeAllConnections()
      await new Promise((r) => server.close(r))
    },
  }
}

let sw: SwitchHarness
let payer: TestDfsp
let other: TestDfsp
let silent: SilentDfsp

before(async () => {
  sw = await startSwitch('callbacks', { partitions: 1, pipeline: { callbackBackoffFirst_ms: 50, callbackAttemptTimeout_ms: 1_000 } })
  payer = await startTestDfsp('payerfsp')
  other = await startTestDfsp('otherfsp')
  silent = await startSilentDfsp('silentfsp')
  await setupHub(sw.admin, 'USD')
  for (const [name, url] of [['payerfsp', payer.url], ['otherfsp', other.url], ['silentfsp', silent.url]]) {
    await onboardDfsp(sw.admin, { name: name!, ndc: '1000', fundsIn: '5000', endpointBase: url })
  }
})
afterEach(async () => assertSwitchInvariants(sw))
after(async () => {
  await sw.stop()
  await payer.close()
  await other.close()
  await silent.close()
})

const forwardedTo = (dfsp: TestDfsp, id: string) => dfsp.waitFor((c) => c.method === 'POST' && c.body?.transferId === id)
const committedTo = (dfsp: TestDfsp, id: string) => dfsp.waitFor((c) => c.method === 'PUT' && c.path === `/transfers/${id}` && c.body.transferState === 'COMMITTED')
const deadLetters = async () => Number((await sw.testDb.db('callback_dead_letter').count({ n: '*' }))[0]!.n)

async function until(what: string, check: () => Promise<boolean> | boolean): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await check()) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`gave up waiting for ${what}`)
}

test('a DFSP that does not answer delays the others for one try at most; its callbacks wait for it and then arrive', async () => {
  const toSilent = newTransfer('payerfsp', 'silentfsp', '10')
  await prepare(sw.apiUrl, toSilent)
  await until('the silent DFSP to be sent the prepare', () => silent.transfersSeen.has(toSilent.transferId))

  // Later callbacks on the same partition: the other DFSP gets its prepares, while the silent DFSP's
  // callbacks wait for another try and none has been given up.
  const toOther = [newTransfer('payerfsp', 'otherfsp', '20'), newTransfer('payerfsp', 'otherfsp', '21')]
  const alsoToSilent = newTransfer('payerfsp', 'silentfsp', '11')
  await prepare(sw.apiUrl, toOther[0]!)
  await prepare(sw.apiUrl, alsoToSilent)
  await prepare(sw.apiUrl, toOther[1]!)
  for (const t of toOther) await forwardedTo(other, t.transferId)
  assert.equal(await deadLetters(), 0, 'nothing given up while the other DFSP was served')
  assert.ok(await pendingCallbackRetries(sw.testDb.db, toSilent.transferId) > 0, 'the silent DFSP\'s prepare waits for another try')

  for (const t of toOther) {
    await fulfil(sw.apiUrl, t)
    await committedTo(payer, t.transferId)
  }

  // Once it answers, its callbacks arrive (from the retrier) and the transfers complete.
  silent.release()
  await until('the retries to be delivered', async () =>
    await pendingCallbackRetries(sw.testDb.db, toSilent.transferId) === 0 && await pendingCallbackRetries(sw.testDb.db, alsoToSilent.transferId) === 0)
  assert.equal(await deadLetters(), 0)
  for (const t of [toSilent, alsoToSilent]) {
    await fulfil(sw.apiUrl, t)
    await committedTo(payer, t.transferId)
  }
})

test('a DFSP that keeps failing gets each callback tried five times, then dead-lettered with the reason', async () => {
  other.answerWith(503)
  const t = newTransfer('payerfsp', 'otherfsp', '5')
  try {
    await prepare(sw.apiUrl, t)
    await until('the dead letter', async () => Boolean(await sw.testDb.db('callback_dead_letter').where({ reference: t.transferId }).first()))
  } finally {
    other.answerWith(200)
  }
  const dead = await sw.testDb.db('callback_dead_letter').where({ reference: t.transferId }).first()
  assert.match(dead.reason, /503/)
  assert.equal(dead.attempts, 5)
  assert.equal(dead.method, 'POST')
  assert.equal(await pendingCallbackRetries(sw.testDb.db, t.transferId), 0)
  // The transfer itself is still RESERVED; the payee never heard of it, so it expires in time (not awaited).
  assert.equal((await sw.testDb.db('transfer').where({ id: t.transferId }).first()).state, 'RESERVED')
})
