// Two reference DFSPs pay each other through the switch: lookup, quote with a real ILP condition,
// transfer; their own books and the switch's ledger agree.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { startSwitch, type SwitchHarness } from '../support/switch-harness.ts'
import { onboardDfsp, setupHub } from '../support/fixtures.ts'
import { ReferenceDfsp, FspiopCallbackError } from '../../adapters/reference-dfsp/reference-dfsp.ts'
import { startDfspHost, type DfspHost } from '../../adapters/reference-dfsp/dfsp-host.ts'
import { assertLedgerInvariants } from '../../ledger/invariants/ledger-invariants.ts'
import { pipelineInvariants } from '../../ledger/invariants/pipeline-invariants.ts'

let sw: SwitchHarness
let host: DfspHost
let bank: ReferenceDfsp
let wallet: ReferenceDfsp
let picky: ReferenceDfsp

before(async () => {
  sw = await startSwitch('refdfsp')
  bank = new ReferenceDfsp({ name: 'refbank', secret: 'bank-secret', switchUrl: sw.apiUrl, customers: [{ idType: 'MSISDN', id: '255711000001', name: 'Baraka', balance: '500' }] })
  wallet = new ReferenceDfsp({ name: 'refwallet', secret: 'wallet-secret', switchUrl: sw.apiUrl, customers: [{ idType: 'MSISDN', id: '255722000002', name: 'Zawadi', balance: '0' }] })
  picky = new ReferenceDfsp({ name: 'refpicky', secret: 'picky-secret', switchUrl: sw.apiUrl, customers: [{ idType: 'MSISDN', id: '255733000003', name: 'Juma', balance: '0' }], rejectTransfersWith: '5104' })
  host = await startDfspHost([bank, wallet, picky])
  await setupHub(sw.admin, 'USD')
  for (const d of [bank, wallet, picky]) {
    await onboardDfsp(sw.admin, { name: d.name, ndc: '10000', fundsIn: '10000', endpointBase: host.endpointBase(d.name) })
    await d.registerParties()
  }
})
after(async () => {
  for (const d of [bank, wallet, picky]) await d.close()
  await host.close()
  await sw.stop()
})

test('lookup, quote and transfer between reference DFSPs move their books and the ledger alike', async () => {
  const party = await bank.lookup('MSISDN', '255722000002')
  assert.equal(party.value.party.name, 'Zawadi')
  assert.equal(party.value.party.partyIdInfo.fspId, 'refwallet')
  const quote = await bank.quote({ fspId: 'refwallet', idType: 'MSISDN', id: '255722000002' }, '255711000001', '120', 'USD')
  assert.equal(quote.value.condition.length, 43)
  const transfer = await bank.transfer('255711000001', 'refwallet', '120', 'USD', quote.value)
  assert.equal(transfer.value.transferState, 'COMMITTED')
  assert.ok(transfer.finished_ms >= transfer.accepted_ms && transfer.accepted_ms >= transfer.started_ms)
  assert.deepEqual(bank.books.accounts.get('255711000001'), { balance: 3_800_000n, held: 0n })
  assert.deepEqual(wallet.books.accounts.get('255722000002'), { balance: 1_200_000n, held: 0n })
  await assertLedgerInvariants(sw.testDb.db, pipelineInvariants())
})

test('a payee that rejects leaves the payer whole; an unknown party is 3204', async () => {
  const quote = await bank.quote({ fspId: 'refpicky', idType: 'MSISDN', id: '255733000003' }, '255711000001', '10', 'USD')
  await assert.rejects(bank.transfer('255711000001', 'refpicky', '10', 'USD', quote.value), (e: FspiopCallbackError) => e.errorCode === '5104')
  assert.deepEqual(bank.books.accounts.get('255711000001'), { balance: 3_800_000n, held: 0n })
  await assert.rejects(bank.lookup('MSISDN', '000'), (e: FspiopCallbackError) => e.errorCode === '3204')
  await assertLedgerInvariants(sw.testDb.db, pipelineInvariants())
})
