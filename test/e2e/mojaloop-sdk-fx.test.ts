// A real Mojaloop DFSP client library from the npm registry (@mojaloop/sdk-standard-components, the
// requests module of Mojaloop's SDK scheme adapter) completes a cross-currency payment against Agora,
// unchanged and with its default resource versions (fxQuotes and fxTransfers in 2.0, transfers in 1.0):
// the payer asks the FXP for a conversion quote and the conversion, the FXP answers both, the payer sends
// the dependent transfer and the payee fulfils it; the FXP hears the commit by PATCH.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes, randomUUID } from 'node:crypto'
import type { TestDfsp } from '../support/dfsp-server.ts'
import { newTransfer } from '../support/fspiop-client.ts'
import { startFxWorld, type FxWorld } from '../support/fx-world.ts'
import { sdkClient } from '../support/sdk-requests.ts'
import { assertSwitchInvariants } from '../support/switch-invariants.ts'
import { conditionOf } from '../../ledger/domain/fulfilment.ts'

let world: FxWorld
let payer: TestDfsp
let payee: TestDfsp
let fxp: TestDfsp

before(async () => {
  world = await startFxWorld('sdk-fx', { payer: 'sdkusd', payee: 'sdktzs', fxps: ['sdkfxp'] })
  ;({ payer, payee, fxps: [fxp] } = world as FxWorld & { fxps: [TestDfsp] })
})
after(async () => world.stop())

const client = (dfspId: string) => sdkClient(world.sw.apiUrl, dfspId)
const positionOf = async (name: string, currency: string) => (await world.position(name, currency))[0]

test('the Mojaloop SDK quotes a conversion, converts 20 USD into 50,000 TZS through an FXP and pays the TZS payee; Agora commits both legs', async () => {
  const transfer = newTransfer(payer.name, payee.name, '50000', { currency: 'TZS' })
  const conversionId = randomUUID()
  const conversionRequestId = randomUUID()
  const terms = {
    conversionId, determiningTransferId: transfer.transferId, initiatingFsp: payer.name, counterPartyFsp: fxp.name, amountType: 'SEND',
    sourceAmount: { currency: 'USD', amount: '20' }, targetAmount: { currency: 'TZS' }, expiration: new Date(Date.now() + 60_000).toISOString(),
  }
  await client(payer.name).postFxQuotes({ conversionRequestId, conversionTerms: terms }, fxp.name)
  const asked = await fxp.waitFor((c) => c.method === 'POST' && c.path === '/fxQuotes')
  assert.equal(asked.body.conversionRequestId, conversionRequestId)
  const fulfilment = randomBytes(32).toString('base64url')
  const condition = conditionOf(fulfilment)
  const quoted = { ...terms, targetAmount: { currency: 'TZS', amount: '50000' }, charges: [{ chargeType: 'conversion fee', sourceAmount: { currency: 'USD', amount: '0.5' }, targetAmount: { currency: 'TZS', amount: '1250' } }] }
  await client(fxp.name).putFxQuotes(conversionRequestId, { condition, conversionTerms: quoted }, payer.name)
  const quote = await payer.waitFor((c) => c.method === 'PUT' && c.path === `/fxQuotes/${conversionRequestId}`)
  assert.equal(quote.body.conversionTerms.targetAmount.amount, '50000')

  await client(payer.name).postFxTransfers({
    commitRequestId: conversionId, determiningTransferId: transfer.transferId, initiatingFsp: payer.name, counterPartyFsp: fxp.name,
    sourceAmount: { currency: 'USD', amount: '20' }, targetAmount: { currency: 'TZS', amount: '50000' }, condition, expiration: terms.expiration,
  }, fxp.name)
  await fxp.waitFor((c) => c.method === 'POST' && c.path === '/fxTransfers' && c.body.commitRequestId === conversionId)
  await client(fxp.name).putFxTransfers(conversionId, { conversionState: 'RESERVED', fulfilment, completedTimestamp: new Date().toISOString() }, payer.name)
  const reserved = await payer.waitFor((c) => c.method === 'PUT' && c.path === `/fxTransfers/${conversionId}`)
  assert.equal(reserved.body.conversionState, 'RESERVED')

  await client(payer.name).postTransfers(transfer.body, payee.name)
  const prepare = await payee.waitFor((c) => c.method === 'POST' && c.body?.transferId === transfer.transferId)
  assert.equal(prepare.headers['content-type'], 'application/vnd.interoperability.transfers+json;version=1.0', 'the SDK\'s default transfers version, forwarded as sent')
  await client(payee.name).putTransfers(transfer.transferId, { transferState: 'COMMITTED', fulfilment: transfer.fulfilment, completedTimestamp: new Date().toISOString() }, payer.name)
  const done = await payer.waitFor((c) => c.method === 'PUT' && c.path === `/transfers/${transfer.transferId}`)
  assert.equal(done.body.transferState, 'COMMITTED')
  const patch = await fxp.waitFor((c) => c.method === 'PATCH' && c.path === `/fxTransfers/${conversionId}`)
  assert.equal(patch.body.conversionState, 'COMMITTED')
  assert.deepEqual([await positionOf(payer.name, 'USD'), await positionOf(fxp.name, 'USD'), await positionOf(fxp.name, 'TZS'), await positionOf(payee.name, 'TZS')], [20, -20, 50000, -50000])
  await assertSwitchInvariants(world.sw)
})
