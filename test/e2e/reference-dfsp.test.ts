// Reference DFSPs pay each other through the real switch: lookup, quote with a real ILP condition,
// transfer; their own books and the switch's ledger agree. Rejections, a payee that answers RESERVED,
// slow answers and FSPIOP v2.0.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { startSwitch, type SwitchHarness } from '../support/switch-harness.ts'
import { call, onboardDfsp, setupHub } from '../support/fixtures.ts'
import { ReferenceDfsp, FspiopCallbackError, type ReferenceDfspOptions } from '../../adapters/reference-dfsp/reference-dfsp.ts'
import { startDfspHost, type DfspHost } from '../../adapters/reference-dfsp/dfsp-host.ts'
import { assertSwitchInvariants } from '../support/switch-invariants.ts'

const POLL_ATTEMPTS_MAX = 100
const POLL_INTERVAL_MS = 50

let sw: SwitchHarness
let host: DfspHost
const dfsps: Record<string, ReferenceDfsp> = {}

function dfsp(name: string, customer: string, balance: string, extra: Partial<ReferenceDfspOptions> = {}): ReferenceDfsp {
  return (dfsps[name] = new ReferenceDfsp({
    name, secret: `${name}-secret`, switchUrl: sw.apiUrl, customers: [{ idType: 'MSISDN', id: customer, name: `customer ${customer}`, balance }], ...extra,
  }))
}

const account = (balance: bigint, held = 0n, incoming = 0n) => ({ balance, held, incoming })
const payeeOf = (d: ReferenceDfsp) => ({ fspId: d.name, idType: 'MSISDN', id: d.options.customers[0]!.id })
const customerOf = (d: ReferenceDfsp) => d.books.accounts.get(d.options.customers[0]!.id)

async function position(name: string): Promise<number> {
  return (await call(sw.admin, 'GET', `/participants/${name}/positions?currency=USD`)).body.value
}

async function eventually(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < POLL_ATTEMPTS_MAX && !check(); i++) await new Promise((r) => setTimeout(r, POLL_INTERVAL_MS))
  assert.ok(check(), what)
}

before(async () => {
  sw = await startSwitch('refdfsp')
  dfsp('refbank', '255711000001', '500')
  dfsp('refwallet', '255722000002', '0')
  dfsp('refpicky', '255733000003', '0', { rejectTransfersWith: '5104' })
  dfsp('refnoquote', '255744000004', '0', { rejectQuotesWith: '5101' })
  dfsp('refcareful', '255755000005', '0', { payeeAnswers: 'RESERVED', answerDelay_ms: 20 })
  dfsp('refv2payer', '255766000006', '100', { version: '2.0' })
  dfsp('refv2payee', '255777000007', '0', { version: '2.0' })
  host = await startDfspHost(Object.values(dfsps))
  await setupHub(sw.admin, 'USD')
  for (const d of Object.values(dfsps)) {
    await onboardDfsp(sw.admin, { name: d.name, ndc: '10000', fundsIn: '10000', endpointBase: host.endpointBase(d.name) })
    await d.registerParties()
  }
})
after(async () => {
  for (const d of Object.values(dfsps)) await d.close()
  await host.close()
  await sw.stop()
})

test('lookup, quote and transfer between reference DFSPs move their books and the ledger alike', async () => {
  const { refbank: bank, refwallet: wallet } = dfsps as Record<string, ReferenceDfsp>
  const party = await bank!.lookup('MSISDN', '255722000002')
  assert.equal(party.value.party.name, 'customer 255722000002')
  assert.equal(party.value.party.partyIdInfo.fspId, 'refwallet')
  const quote = await bank!.quote(payeeOf(wallet!), '255711000001', '120', 'USD')
  assert.equal(quote.value.condition.length, 43)
  assert.deepEqual(quote.value.transferAmount, { amount: '120', currency: 'USD' })
  const transfer = await bank!.transfer('255711000001', 'refwallet', '120', 'USD', quote.value)
  assert.equal(transfer.value.transferState, 'COMMITTED')
  assert.equal(transfer.value.fulfilment.length, 43)
  assert.ok(transfer.finished_ms >= transfer.accepted_ms && transfer.accepted_ms >= transfer.started_ms)
  assert.deepEqual(customerOf(bank!), account(3_800_000n))
  assert.deepEqual(customerOf(wallet!), account(1_200_000n))
  assert.equal(await position('refbank'), 120)
  assert.equal(await position('refwallet'), -120)
  await assertSwitchInvariants(sw)
})

test('a payee that rejects the transfer leaves the payer whole and itself unpaid', async () => {
  const { refbank: bank, refpicky: picky } = dfsps as Record<string, ReferenceDfsp>
  const before = customerOf(bank!)!.balance
  const quote = await bank!.quote(payeeOf(picky!), '255711000001', '10', 'USD')
  await assert.rejects(bank!.transfer('255711000001', 'refpicky', '10', 'USD', quote.value), (e: FspiopCallbackError) => e.errorCode === '5104')
  assert.deepEqual(customerOf(bank!), account(before))
  assert.deepEqual(customerOf(picky!), account(0n))
  assert.equal(await position('refpicky'), 0)
  await assertSwitchInvariants(sw)
})

test('unknown parties are 3204 at lookup and at quote; a payee can refuse a quote', async () => {
  const { refbank: bank, refwallet: wallet, refnoquote: noquote } = dfsps as Record<string, ReferenceDfsp>
  await assert.rejects(bank!.lookup('MSISDN', '000'), (e: FspiopCallbackError) => e.errorCode === '3204')
  await assert.rejects(bank!.quote({ fspId: wallet!.name, idType: 'MSISDN', id: '999' }, '255711000001', '1', 'USD'), (e: FspiopCallbackError) => e.errorCode === '3204')
  await assert.rejects(bank!.quote(payeeOf(noquote!), '255711000001', '1', 'USD'), (e: FspiopCallbackError) => e.errorCode === '5101')
})

test('a payer cannot send more than its customer has: nothing reaches the switch', async () => {
  const { refbank: bank, refwallet: wallet } = dfsps as Record<string, ReferenceDfsp>
  const quote = await bank!.quote(payeeOf(wallet!), '255711000001', '1000', 'USD')
  await assert.rejects(bank!.transfer('255711000001', 'refwallet', '1000', 'USD', quote.value), (e: FspiopCallbackError) => e.errorCode === '4001')
  assert.equal(customerOf(bank!)!.held, 0n)
})

test('a payee that answers RESERVED books the credit only when the switch says COMMITTED', async () => {
  const { refbank: bank, refcareful: careful } = dfsps as Record<string, ReferenceDfsp>
  const quote = await bank!.quote(payeeOf(careful!), '255711000001', '7.5', 'USD')
  const transfer = await bank!.transfer('255711000001', 'refcareful', '7.5', 'USD', quote.value)
  assert.equal(transfer.value.transferState, 'COMMITTED')
  await eventually(() => customerOf(careful!)!.balance === 75_000n, 'the PATCH with COMMITTED books the credit')
  assert.deepEqual(customerOf(careful!), account(75_000n))
  await assertSwitchInvariants(sw)
})

test('DFSPs speaking FSPIOP 2.0 pay each other', async () => {
  const { refv2payer: payer, refv2payee: payee } = dfsps as Record<string, ReferenceDfsp>
  await payer!.lookup('MSISDN', '255777000007')
  const quote = await payer!.quote(payeeOf(payee!), '255766000006', '40', 'USD')
  const transfer = await payer!.transfer('255766000006', 'refv2payee', '40', 'USD', quote.value)
  assert.equal(transfer.value.transferState, 'COMMITTED')
  assert.deepEqual(customerOf(payer!), account(600_000n))
  assert.deepEqual(customerOf(payee!), account(400_000n))
  await assertSwitchInvariants(sw)
})
