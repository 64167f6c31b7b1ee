// A G2P disbursement paid by the switch's real BulkPayments (bulk quotes and bulk transfers through the
// Kafka pipeline and the position handler) to a reference DFSP wallet: beneficiaries past the payer's
// net debit cap fail and nothing moves for them, unknown ones are unresolved, the ledger's invariants hold
// and the wallet's books agree with the report.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { startSwitch, type SwitchHarness } from '../support/switch-harness.ts'
import { call, onboardDfsp, setupHub } from '../support/fixtures.ts'
import { ReferenceDfsp } from '../../adapters/reference-dfsp/reference-dfsp.ts'
import { startDfspHost, type DfspHost } from '../../adapters/reference-dfsp/dfsp-host.ts'
import { assertSwitchInvariants } from '../support/switch-invariants.ts'

const BENEFICIARIES = 1_200
const msisdn = (i: number) => `2557${String(i).padStart(8, '0')}`
let sw: SwitchHarness
let host: DfspHost
let government: ReferenceDfsp
let wallet: ReferenceDfsp

before(async () => {
  sw = await startSwitch('g2p_real_bulk')
  government = new ReferenceDfsp({ name: 'g2pmof', secret: 'gov-secret', switchUrl: sw.apiUrl, customers: [{ idType: 'MSISDN', id: '255600000001', name: 'treasury', balance: '1000000' }] })
  wallet = new ReferenceDfsp({
    name: 'g2pmmp', secret: 'wallet-secret', switchUrl: sw.apiUrl,
    customers: Array.from({ length: BENEFICIARIES }, (_, i) => ({ idType: 'MSISDN', id: msisdn(i), name: `b${i}`, balance: '0' })),
  })
  host = await startDfspHost([government, wallet])
  await setupHub(sw.admin, 'USD')
  await onboardDfsp(sw.admin, { name: 'g2pmof', ndc: '10000', fundsIn: '100000', endpointBase: host.endpointBase('g2pmof') })
  await onboardDfsp(sw.admin, { name: 'g2pmmp', ndc: '10000', fundsIn: '10000', endpointBase: host.endpointBase('g2pmmp') })
  await sw.pipeline.oracle.registerAll(Array.from({ length: BENEFICIARIES }, (_, i) => ({ type: 'MSISDN', id: msisdn(i) })), 'g2pmmp')
})
after(async () => {
  await government.close()
  await wallet.close()
  await host.close()
  await sw.stop()
})

test('a CSV of 1,203 beneficiaries: 1,000 paid within the payer\'s cap, 200 refused by the position pipeline, 3 unresolved', async () => {
  const rows = [...Array.from({ length: BENEFICIARIES }, (_, i) => `MSISDN,${msisdn(i)},10,USD,b${i},ref-${i}`), 'MSISDN,255799999991,10,USD,x,u1', 'MSISDN,255799999992,10,USD,x,u2', 'MSISDN,255799999993,10,USD,x,u3']
  const csv = `id_type,id_value,amount,currency,name,reference\n${rows.join('\n')}\n`
  const started = Date.now()
  const r = await fetch(`${sw.apiUrl}/disbursements`, { method: 'POST', headers: { 'content-type': 'text/csv', 'fspiop-source': 'g2pmof', 'disbursement-id': 'g2p-real-1' }, body: csv })
  assert.equal(r.status, 202, await r.clone().text())
  let progress: { state: string; paid: number; failed: number; unresolved: number; amounts: { paid: string } }
  do {
    await new Promise((resolve) => setTimeout(resolve, 250))
    progress = await (await fetch(`${sw.apiUrl}/disbursements/g2p-real-1`, { headers: { 'fspiop-source': 'g2pmof' } })).json()
  } while (progress.state !== 'COMPLETED')
  console.log(`g2p real bulk: ${rows.length} beneficiaries completed in ${Date.now() - started} ms`)
  assert.deepEqual([progress.paid, progress.failed, progress.unresolved, progress.amounts.paid], [1_000, 200, 3, '10000'])
  const report = await (await fetch(`${sw.apiUrl}/disbursements/g2p-real-1/report`, { headers: { 'fspiop-source': 'g2pmof' } })).text()
  const failedCodes = new Set(report.trim().split('\n').slice(1).filter((l) => l.includes(',FAILED,')).map((l) => l.split(',')[8]))
  assert.ok([...failedCodes].every((c) => c === '4200' || c === '4001'), `failed with ${[...failedCodes]}`)
  assert.equal((await call(sw.admin, 'GET', '/participants/g2pmof/positions?currency=USD')).body.value, 10000)
  let credited = 0n
  for (let i = 0; i < 100; i++) {
    credited = [...wallet.books.accounts.values()].reduce((sum, a) => sum + a.balance, 0n)
    if (credited === 10_000n * 10_000n) break
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  assert.equal(credited, 10_000n * 10_000n, 'the wallet booked exactly the paid amount')
  await assertSwitchInvariants(sw)
})
