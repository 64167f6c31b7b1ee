// A small cross-currency load test against a real switch: USD payers pay TZS payees through a simulated
// FXP; every fxTransfer and its dependent transfer complete, the ledger holds, each DFSP's books (and the
// FXP's, currency by currency) agree with its positions.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { startSwitch, type SwitchHarness } from '../../test/support/switch-harness.ts'
import { checkInvariants } from '../../ledger/invariants/ledger-invariants.ts'
import { pipelineInvariants } from '../invariants/pipeline-invariants.ts'
import { runLoadTest } from './loadtest.ts'
import { htmlReport } from './html-report.ts'

let sw: SwitchHarness
let adminUrl: string

before(async () => {
  sw = await startSwitch('loadtestfx')
  await sw.admin.listen({ host: '127.0.0.1', port: 0 })
  adminUrl = `http://127.0.0.1:${(sw.admin.server.address() as { port: number }).port}`
})
after(async () => sw.stop())

for (const flow of ['fx', 'fx-full'] as const) {
  test(`an ${flow} load test completes every conversion and its transfer, and leaves both currencies sound`, async () => {
    const { result, latencies } = await runLoadTest({
      apiUrl: sw.apiUrl, adminUrl, dfsps: 4, concurrency: 6, count: 30, duration_s: 90, skew: 0.5, flow, currency: 'USD', targetCurrency: 'TZS',
      checkInvariants: () => checkInvariants(sw.testDb.db, pipelineInvariants()),
    })
    assert.equal(result.completed, 30, JSON.stringify(result.errorsByCode))
    assert.equal(result.errors, 0)
    assert.deepEqual(result.invariantViolations, [])
    assert.deepEqual(result.booksMismatches, [])
    assert.equal(result.phases.fxTransfer!.count, 30)
    assert.equal(result.phases.transfer!.count, 30)
    if (flow === 'fx-full') assert.equal(result.phases.fxQuote!.count, 30)
    assert.match(htmlReport(result, latencies), /DFSP books: each agrees/)
  })
}
