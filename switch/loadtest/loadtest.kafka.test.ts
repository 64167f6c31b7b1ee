// A small load test against a real switch: every payment completes, the ledger holds, the report draws.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { startSwitch, type SwitchHarness } from '../../test/support/switch-harness.ts'
import { checkInvariants } from '../../ledger/invariants/ledger-invariants.ts'
import { pipelineInvariants } from '../invariants/pipeline-invariants.ts'
import { picker, runLoadTest } from './loadtest.ts'
import { htmlReport } from './html-report.ts'

let sw: SwitchHarness
let adminUrl: string

before(async () => {
  sw = await startSwitch('loadtest')
  await sw.admin.listen({ host: '127.0.0.1', port: 0 })
  adminUrl = `http://127.0.0.1:${(sw.admin.server.address() as { port: number }).port}`
})
after(async () => sw.stop())

test('the DFSP mix follows the skew and never pays itself', () => {
  let i = 0
  const sequence = [0.1, 0.5, 0.9, 0.3, 0.8, 0.2]
  const pick = picker(4, 0.7, () => sequence[i++ % sequence.length]!)
  for (let n = 0; n < 20; n++) {
    const [from, to] = pick()
    assert.notEqual(from, to)
  }
  const counts = [0, 0, 0, 0]
  const skewed = picker(4, 0.7)
  for (let n = 0; n < 2000; n++) counts[skewed()[0]]!++
  assert.ok(counts[0]! > 1300 && counts[0]! < 1700, `first DFSP sent ${counts[0]} of 2000`)
})

for (const flow of ['transfer', 'full'] as const) {
  test(`a ${flow} load test completes every payment and leaves the ledger sound`, async () => {
    const { result, latencies } = await runLoadTest({
      apiUrl: sw.apiUrl, adminUrl, dfsps: 3, concurrency: 8, count: 40, duration_s: 60, skew: 0.5, flow,
      checkInvariants: () => checkInvariants(sw.testDb.db, pipelineInvariants()),
    })
    assert.equal(result.completed, 40, JSON.stringify(result.errorsByCode))
    assert.equal(result.errors, 0)
    assert.deepEqual(result.invariantViolations, [])
    assert.deepEqual(result.booksMismatches, [])
    assert.equal(result.phases.transfer!.count, 40)
    if (flow === 'full') assert.equal(result.phases.quote!.count, 40)
    const html = htmlReport(result, latencies)
    assert.match(html, /<svg[^>]*aria-label="throughput"/)
    assert.match(html, /Ledger invariants: all hold/)
    assert.match(html, /DFSP books: each agrees/)
  })
}
