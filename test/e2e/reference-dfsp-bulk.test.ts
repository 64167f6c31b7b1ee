// A reference DFSP as the payee of bulks, paid by the switch's BulkPayments on a payer's behalf (the G2P
// path): it quotes each item with a real ILP condition (3204 for a customer it does not have), fulfils each
// transfer, and books the credits when the switch tells it the bulk's outcome; its books and the ledger agree.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { startSwitch, type SwitchHarness } from '../support/switch-harness.ts'
import { call, onboardDfsp, setupHub } from '../support/fixtures.ts'
import { ReferenceDfsp } from '../../adapters/reference-dfsp/reference-dfsp.ts'
import { startDfspHost, type DfspHost } from '../../adapters/reference-dfsp/dfsp-host.ts'
import { assertSwitchInvariants } from '../support/switch-invariants.ts'

let sw: SwitchHarness
let host: DfspHost
let government: ReferenceDfsp
let wallet: ReferenceDfsp

before(async () => {
  sw = await startSwitch('refbulk')
  government = new ReferenceDfsp({ name: 'g2pgov', secret: 'gov-secret', switchUrl: sw.apiUrl, customers: [{ idType: 'MSISDN', id: '255700000100', name: 'treasury', balance: '100000' }] })
  wallet = new ReferenceDfsp({
    name: 'g2pwallet', secret: 'wallet-secret', switchUrl: sw.apiUrl,
    customers: [{ idType: 'MSISDN', id: '255700000201', name: 'a', balance: '0' }, { idType: 'MSISDN', id: '255700000202', name: 'b', balance: '0' }],
  })
  host = await startDfspHost([government, wallet])
  await setupHub(sw.admin, 'USD')
  for (const d of [government, wallet]) await onboardDfsp(sw.admin, { name: d.name, ndc: '10000', fundsIn: '10000', endpointBase: host.endpointBase(d.name) })
})
after(async () => {
  await government.close()
  await wallet.close()
  await host.close()
  await sw.stop()
})

const balanceOf = (id: string) => wallet.books.accounts.get(id)?.balance

test('the reference DFSP quotes each item of a bulk quote (3204 for an unknown party), fulfils each transfer of the bulk and books the credits', async () => {
  const expiration = new Date(Date.now() + 60_000).toISOString()
  const payees = ['255700000201', '255700000299', '255700000202']
  const items = payees.map((id, i) => ({ quoteId: randomUUID(), transactionId: randomUUID(), payee: { partyIdType: 'MSISDN', partyIdentifier: id }, amount: String(100 * (i + 1)), currency: 'USD' }))
  const bulkQuoteId = randomUUID()
  const quotes = await sw.pipeline.bulkPayments.quote({ bulkQuoteId, payerFsp: 'g2pgov', payeeFsp: 'g2pwallet', expiration, items })
  assert.deepEqual(quotes.map((q) => (q.ok ? 'ok' : q.errorCode)), ['ok', '3204', 'ok'])
  const transfers = quotes.flatMap((q) => (q.ok ? [{ transferId: randomUUID(), amount: q.transferAmount.amount, currency: 'USD', ilpPacket: q.ilpPacket, condition: q.condition }] : []))
  const results = await sw.pipeline.bulkPayments.transfer({ bulkTransferId: randomUUID(), bulkQuoteId, payerFsp: 'g2pgov', payeeFsp: 'g2pwallet', expiration, items: transfers })
  assert.deepEqual(results.map((r) => r.state), ['COMMITTED', 'COMMITTED'])
  for (let i = 0; i < 100 && balanceOf('255700000202') !== 3_000_000n; i++) await new Promise((r) => setTimeout(r, 50))
  assert.equal(balanceOf('255700000201'), 1_000_000n)
  assert.equal(balanceOf('255700000202'), 3_000_000n)
  assert.equal((await call(sw.admin, 'GET', '/participants/g2pwallet/positions?currency=USD')).body.value, -400)
  await assertSwitchInvariants(sw)
})
