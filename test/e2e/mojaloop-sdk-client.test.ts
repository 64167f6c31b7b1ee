// A real Mojaloop DFSP client library from the npm registry (@mojaloop/sdk-standard-components, the
// requests module Mojaloop's SDK scheme adapter uses) completes a transfer against Agora, unchanged:
// the payer posts the prepare with it, the payee fulfils with it.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import type { SwitchHarness } from '../support/switch-harness.ts'
import { startSwitchWithDfsps } from '../support/dfsp-pair.ts'
import type { TestDfsp } from '../support/dfsp-server.ts'
import { newTransfer } from '../support/fspiop-client.ts'
import { assertSwitchInvariants } from '../support/switch-invariants.ts'
import { sdkClient } from '../support/sdk-requests.ts'


let sw: SwitchHarness
let payer: TestDfsp
let payee: TestDfsp
let stop: () => Promise<void>

before(async () => {
  ;({ sw, payer, payee, stop } = await startSwitchWithDfsps('sdk', ['sdkpayer', 'sdkpayee'], { ndc: '1000', fundsIn: '1000' }))
})
after(async () => stop())

const client = (dfspId: string) => sdkClient(sw.apiUrl, dfspId)

test('the Mojaloop SDK posts a prepare and a fulfil that Agora commits', async () => {
  const t = newTransfer('sdkpayer', 'sdkpayee', '25.5')
  await client('sdkpayer').postTransfers(t.body, 'sdkpayee')
  const prepare = await payee.waitFor((c) => c.method === 'POST' && c.body?.transferId === t.transferId)
  assert.equal(prepare.headers['fspiop-source'], 'sdkpayer')
  await client('sdkpayee').putTransfers(t.transferId, { transferState: 'COMMITTED', fulfilment: t.fulfilment, completedTimestamp: new Date().toISOString() }, 'sdkpayer')
  const done = await payer.waitFor((c) => c.method === 'PUT' && c.path === `/transfers/${t.transferId}`)
  assert.equal(done.body.transferState, 'COMMITTED')
  assert.equal(done.headers['content-type'], 'application/vnd.interoperability.transfers+json;version=1.0', 'answered in the version the client spoke')
  assert.equal((await sw.testDb.db('transfer').where({ id: t.transferId }).first()).state, 'COMMITTED')
  await assertSwitchInvariants(sw)
})
