// Batch POST /participants at the size the API definition allows (partyList maxItems 10000): the built-in
// oracle registers the whole list in one database transaction of multi-row statements, and the result
// callback names every party, as ALS's postParticipantsBatch answers.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import type { SwitchHarness } from '../support/switch-harness.ts'
import type { TestDfsp } from '../support/dfsp-server.ts'
import { startSwitchWithDfsps } from '../support/dfsp-pair.ts'
import { fspiopHeaders, send } from '../support/fspiop-client.ts'
import { REGISTRATION_ROWS_PER_STATEMENT_MAX } from '../../switch/lookup/oracle.ts'

let sw: SwitchHarness
let payer: TestDfsp
let payee: TestDfsp
let stop: () => Promise<void>
const h = (source: string) => fspiopHeaders(source, undefined, '1.1', 'participants')
const PARTIES_MAX = 10_000

const parties = (prefix: string, count: number, fspId: string) =>
  Array.from({ length: count }, (_, i) => ({ partyIdType: 'MSISDN', partyIdentifier: `${prefix}${String(i).padStart(6, '0')}`, fspId }))

before(async () => {
  ;({ sw, payer, payee, stop } = await startSwitchWithDfsps('partybatch', ['payerfsp', 'payeefsp']))
})
after(async () => stop())

test('a DFSP registers 10,000 parties (the API\'s partyList maxItems) in one POST /participants; the result names each of them', async () => {
  const requestId = randomUUID()
  const partyList = parties('2551', PARTIES_MAX, 'payeefsp')
  let oracleStatements = 0
  const countStatement = (query: { sql: string }) => { if (/oracle_party/.test(query.sql)) oracleStatements++ }
  sw.testDb.db.on('query', countStatement)
  const started = performance.now()
  assert.equal((await send(sw.apiUrl, 'POST', '/participants', h('payeefsp'), { requestId, partyList, currency: 'USD' })).status, 202)
  const answered_ms = performance.now() - started
  sw.testDb.db.off('query', countStatement)
  // One transaction of multi-row statements: an insert and a read per REGISTRATION_ROWS_PER_STATEMENT_MAX parties.
  assert.equal(oracleStatements, 2 * Math.ceil(PARTIES_MAX / REGISTRATION_ROWS_PER_STATEMENT_MAX))
  const result = await payee.waitFor((c) => c.path === `/participants/${requestId}`, 120_000)
  const elapsed_ms = performance.now() - started
  console.log(`# ${PARTIES_MAX} parties registered in one POST /participants: ${Math.round(answered_ms)} ms to the 202, ${Math.round(elapsed_ms)} ms to the result callback (${JSON.stringify(result.body).length} bytes), ${oracleStatements} statements`)
  assert.equal(result.body.partyList.length, PARTIES_MAX)
  assert.ok(result.body.partyList.every((entry: any, i: number) => entry.partyId?.partyIdentifier === partyList[i]!.partyIdentifier && !entry.errorInformation))
  const [{ count }] = await sw.testDb.db('oracle_party').where({ fsp_id: 'payeefsp' }).andWhere('party_id', 'like', '2551%').count({ count: '*' })
  assert.equal(Number(count), PARTIES_MAX)
})

test('in a batch, a party another DFSP holds is 3003 and the others are registered; registering a party again is a success', async () => {
  const held = parties('2552', 3, 'payerfsp')
  const first = randomUUID()
  await send(sw.apiUrl, 'POST', '/participants', h('payerfsp'), { requestId: first, partyList: held, currency: 'USD' })
  await payer.waitFor((c) => c.path === `/participants/${first}`)

  const second = randomUUID()
  const mine = parties('2553', 2, 'payeefsp')
  const partyList = [mine[0]!, { ...held[1]!, fspId: 'payeefsp' }, mine[1]!, mine[0]!]
  await send(sw.apiUrl, 'POST', '/participants', h('payeefsp'), { requestId: second, partyList, currency: 'USD' })
  const result = await payee.waitFor((c) => c.path === `/participants/${second}`)
  assert.deepEqual(result.body.partyList.map((e: any) => e.errorInformation?.errorCode ?? 'ok'), ['ok', '3003', 'ok', 'ok'])
  assert.equal((await sw.testDb.db('oracle_party').where({ party_id: held[1]!.partyIdentifier }).first()).fsp_id, 'payerfsp')
  assert.equal((await sw.testDb.db('oracle_party').where({ party_id: mine[1]!.partyIdentifier }).first()).fsp_id, 'payeefsp')
})

test('a partyList longer than 10,000 is refused at once with the validation error of the API definition\'s maxItems (3100)', async () => {
  const answer = await send(sw.apiUrl, 'POST', '/participants', h('payeefsp'), { requestId: randomUUID(), partyList: parties('2554', PARTIES_MAX + 1, 'payeefsp') })
  assert.equal(answer.status, 400)
  assert.equal(answer.body.errorInformation.errorCode, '3100')
  assert.match(answer.body.errorInformation.errorDescription, /partyList must NOT have more than 10000 items/)
})
