// N beneficiaries (default 100,000) paid through the whole switch with the real BulkPayments: HTTP CSV
// submission, oracle resolution, 1,000-item bulk quotes and bulk transfers through Kafka and the position
// pipeline to a reference DFSP wallet, and the CSV report. Run: node --import tsx bench/disbursement-real-bulk.ts [N]
import { startSwitch } from '../test/support/switch-harness.ts'
import { onboardDfsp, setupHub } from '../test/support/fixtures.ts'
import { ReferenceDfsp } from '../adapters/reference-dfsp/reference-dfsp.ts'
import { startDfspHost } from '../adapters/reference-dfsp/dfsp-host.ts'

const n = Number(process.argv[2] ?? 100_000)
const msisdn = (i: number) => `2557${String(i).padStart(8, '0')}`
const sw = await startSwitch('g2p_bench_real')
const government = new ReferenceDfsp({ name: 'benchmof', secret: 'gov-secret', switchUrl: sw.apiUrl, customers: [{ idType: 'MSISDN', id: '255600000001', name: 'treasury', balance: '100000000' }] })
const wallet = new ReferenceDfsp({ name: 'benchmmp', secret: 'wallet-secret', switchUrl: sw.apiUrl, customers: Array.from({ length: n }, (_, i) => ({ idType: 'MSISDN', id: msisdn(i), name: `b${i}`, balance: '0' })) })
const host = await startDfspHost([government, wallet])
try {
  await setupHub(sw.admin, 'USD')
  await onboardDfsp(sw.admin, { name: 'benchmof', ndc: '100000000', fundsIn: '100000000', endpointBase: host.endpointBase('benchmof') })
  await onboardDfsp(sw.admin, { name: 'benchmmp', ndc: '100000000', fundsIn: '100000000', endpointBase: host.endpointBase('benchmmp') })
  await sw.pipeline.oracle.registerAll(Array.from({ length: n }, (_, i) => ({ type: 'MSISDN', id: msisdn(i) })), 'benchmmp')
  const csv = `id_type,id_value,amount,currency,name,reference\n${Array.from({ length: n }, (_, i) => `MSISDN,${msisdn(i)},${(i % 50) + 1}.25,USD,b${i},ref-${i}`).join('\n')}\n`
  const headers = { 'fspiop-source': 'benchmof' }
  const started = performance.now()
  const r = await fetch(`${sw.apiUrl}/disbursements`, { method: 'POST', headers: { ...headers, 'content-type': 'text/csv', 'disbursement-id': 'bench-real' }, body: csv })
  if (r.status !== 202) throw new Error(`${r.status} ${await r.text()}`)
  const accepted = performance.now()
  let progress: { state: string; paid: number; failed: number; unresolved: number }
  do {
    await new Promise((resolve) => setTimeout(resolve, 500))
    progress = await (await fetch(`${sw.apiUrl}/disbursements/bench-real`, { headers })).json()
  } while (progress.state !== 'COMPLETED')
  const paid = performance.now()
  const report = await (await fetch(`${sw.apiUrl}/disbursements/bench-real/report`, { headers })).text()
  const done = performance.now()
  console.log(JSON.stringify({ beneficiaries: n, paid: progress.paid, failed: progress.failed, unresolved: progress.unresolved, accept_ms: Math.round(accepted - started), pay_ms: Math.round(paid - accepted), report_ms: Math.round(done - paid), total_ms: Math.round(done - started), reportBytes: report.length }))
} finally {
  await government.close()
  await wallet.close()
  await host.close()
  await sw.stop()
}
