// A disbursement through the whole switch (real FSPIOP API app with its hooks, Kafka pipeline, MariaDB),
// paid by the in-memory bulk-payments port until the real one is wired.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { startSwitch, type SwitchHarness } from '../support/switch-harness.ts'
import { onboardDfsp, setupHub } from '../support/fixtures.ts'
import { createMemoryBulkPayments } from '../support/memory-bulk-payments.ts'
import { pain001Sample } from '../../switch/disbursements/examples/pain001-sample.ts'

let sw: SwitchHarness
const bulk = createMemoryBulkPayments()
before(async () => {
  sw = await startSwitch('e2e_disbursements', { bulkPayments: bulk })
  await setupHub(sw.admin, 'USD')
  for (const name of ['govbank', 'mmp']) await onboardDfsp(sw.admin, { name, ndc: '100000', fundsIn: '100000', endpointBase: 'http://127.0.0.1:9' })
  await sw.pipeline.oracle.registerAll(Array.from({ length: 40 }, (_, i) => ({ type: 'MSISDN', id: `2557000${String(i).padStart(5, '0')}` })), 'mmp')
})
after(async () => { await sw.stop() })

async function http(method: string, path: string, headers: Record<string, string>, body?: string) {
  const r = await fetch(`${sw.apiUrl}${path}`, { method, headers: { 'fspiop-source': 'govbank', ...headers }, body })
  return { status: r.status, type: r.headers.get('content-type') ?? '', text: await r.text() }
}

test('a pain.001 submitted on the FSPIOP API is resolved, paid by the engine in the pipeline and reported as pain.002', async () => {
  const xml = pain001Sample({ msgId: 'E2E-MOF-1', n: 42 }) // 40 registered, 2 unknown
  const accepted = await http('POST', '/disbursements', { 'content-type': 'application/xml' }, xml)
  assert.equal(accepted.status, 202, accepted.text)
  assert.deepEqual(JSON.parse(accepted.text), { disbursementId: 'E2E-MOF-1', state: 'RECEIVED', total: 42 })
  let progress: { state: string; paid: number; unresolved: number }
  do {
    await new Promise((r) => setTimeout(r, 200))
    progress = JSON.parse((await http('GET', '/disbursements/E2E-MOF-1', {})).text)
  } while (progress.state !== 'COMPLETED')
  assert.deepEqual([progress.paid, progress.unresolved], [40, 2])
  const report = await http('GET', '/disbursements/E2E-MOF-1/report', {})
  assert.match(report.type, /application\/xml/)
  assert.equal(report.text.match(/<TxSts>ACCC<\/TxSts>/g)?.length, 40)
  assert.equal(report.text.match(/<Cd>BE06<\/Cd>/g)?.length, 2)
  const again = await http('POST', '/disbursements', { 'content-type': 'application/xml' }, xml)
  assert.equal(JSON.parse(again.text).state, 'COMPLETED')
  assert.equal(bulk.commits.size, 40)
})

test('a CSV with a bad amount row is refused on the real API in plain text naming the row', async () => {
  const csv = 'id_type,id_value,amount,currency,name,reference\nMSISDN,255700000001,ten,USD,A,r\n'
  const refused = await http('POST', '/disbursements', { 'content-type': 'text/csv', 'disbursement-id': 'E2E-CSV-BAD' }, csv)
  assert.equal(refused.status, 400)
  assert.match(refused.text, /row 1/)
})
