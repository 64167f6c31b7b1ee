// A real Mojaloop DFSP client library from the npm registry (@mojaloop/sdk-standard-components, the
// requests module of Mojaloop's SDK scheme adapter) completes a cross-currency payment against Agora,
// unchanged and with its default resource versions (fxQuotes and fxTransfers in 2.0, transfers in 1.0):
// the payer asks the FXP for a conversion quote and the conversion, the FXP answers both, the payer sends
// the dependent transfer and the payee fulfils it; the FXP hears the commit by PATCH.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { randomBytes, randomUUID } from 'node:crypto'
import { startSwitch, type SwitchHarness } from '../support/switch-harness.ts'
import { startTestDfsp, type TestDfsp } from '../support/dfsp-server.ts'
import { call, onboardDfsp, onboardFxp, setupHub } from '../support/fixtures.ts'
import { newTransfer } from '../support/fspiop-client.ts'
import { assertSwitchInvariants } from '../support/switch-invariants.ts'
import { conditionOf } from '../../ledger/domain/fulfilment.ts'

const sdk = createRequire(import.meta.url)('@mojaloop/sdk-standard-components')

let sw: SwitchHarness
let payer: TestDfsp
let payee: TestDfsp
let fxp: TestDfsp

before(async () => {
  sw = await startSwitch('sdk-fx')
  payer = await startTestDfsp('sdkusd')
  payee = await startTestDfsp('sdktzs')
  fxp = await startTestDfsp('sdkfxp')
  for (const currency of ['USD', 'TZS']) await setupHub(sw.admin, currency)
  await onboardDfsp(sw.admin, { name: payer.name, currency: 'USD', ndc: '1000', fundsIn: '1000', endpointBase: payer.url })
  await onboardDfsp(sw.admin, { name: payee.name, currency: 'TZS', ndc: '1000000', fundsIn: '1000000', endpointBase: payee.url })
  await onboardFxp(sw.admin, { name: fxp.name, currencies: ['USD', 'TZS'], ndc: { USD: '1000', TZS: '5000000' }, fundsIn: { USD: '1000', TZS: '5000000' }, endpointBase: fxp.url })
})
after(async () => {
  await sw.stop()
  for (const d of [payer, payee, fxp]) await d.close()
})

function client(dfspId: string) {
  return new sdk.MojaloopRequests({
    logger: sdk.Logger.loggerFactory({ context: { app: 'agora-test' } }),
    dfspId,
    peerEndpoint: sw.apiUrl.replace('http://', ''),
    tls: { enabled: false },
    jwsSign: false,
  })
}

const positionOf = async (name: string, currency: string) =>
  (await call(sw.admin, 'GET', `/participants/${name}/accounts`)).body.find((a: { ledgerAccountType: string; currency: string }) => a.ledgerAccountType === 'POSITION' && a.currency === currency).value

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
  await assertSwitchInvariants(sw)
})
