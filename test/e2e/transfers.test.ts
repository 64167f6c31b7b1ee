// Transfers end to end over real HTTP, Kafka and MariaDB, between two DFSP servers that receive the
// callbacks. The pipeline's invariants are checked after each test.
import { after, afterEach, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { startSwitch, type SwitchHarness } from '../support/switch-harness.ts'
import { startTestDfsp, type TestDfsp } from '../support/dfsp-server.ts'
import { call, onboardDfsp, setupHub } from '../support/fixtures.ts'
import { fspiopHeaders, fulfil, newTransfer, prepare, reject, send } from '../support/fspiop-client.ts'
import { assertLedgerInvariants } from '../invariants/ledger-invariants.ts'
import { pipelineInvariants } from '../invariants/pipeline-invariants.ts'

let sw: SwitchHarness
let payer: TestDfsp
let payee: TestDfsp

before(async () => {
  sw = await startSwitch('transfers')
  payer = await startTestDfsp('payerfsp')
  payee = await startTestDfsp('payeefsp')
  await setupHub(sw.admin, 'USD')
  await onboardDfsp(sw.admin, { name: 'payerfsp', ndc: '1000', fundsIn: '5000', endpointBase: payer.url })
  await onboardDfsp(sw.admin, { name: 'payeefsp', ndc: '1000', fundsIn: '5000', endpointBase: payee.url })
})
afterEach(async () => assertLedgerInvariants(sw.testDb.db, pipelineInvariants()))
after(async () => {
  await sw.stop()
  await payer.close()
  await payee.close()
})

const position = async (name: string) => (await call(sw.admin, 'GET', `/participants/${name}/accounts`)).body.find((a: any) => a.ledgerAccountType === 'POSITION')
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
    assert.deepEqual([(await position('payerfsp')).value, (await position('payerfsp')).reservedValue], ['0', '100'])
    assert.equal((await fulfil(sw.apiUrl, t)).status, 200)
    const done = await toPayer(`/transfers/${t.transferId}`)
    assert.equal(done.body.transferState, 'COMMITTED')
    assert.equal(done.body.fulfilment, t.fulfilment)
    assert.equal(done.headers['fspiop-source'], 'payeefsp')
    assert.equal(await stateOf(t.transferId), 'COMMITTED')
    assert.deepEqual([(await position('payerfsp')).value, (await position('payerfsp')).reservedValue], ['100', '0'])
    assert.equal((await position('payeefsp')).value, '-100')
  })
})
