// 100,000 beneficiaries through the disbursement engine on the real MariaDB with the in-memory
// bulk-payments port (the real port's cost is not in this number): CSV parse + store, resolve, chunk,
// pay, record, and the CSV report. Run: node --import tsx bench/disbursement-throughput.ts [N]
import { createTestDb } from '../test/support/db.ts'
import { createMemoryBulkPayments } from '../test/support/memory-bulk-payments.ts'
import { createMysqlOracle } from '../switch/lookup/oracle.ts'
import { silentLogger } from '../switch/observability/logger.ts'
import { createDisbursementEngine } from '../switch/disbursements/disbursement-engine.ts'
import { createDisbursement, findDisbursement, progressOf } from '../switch/disbursements/disbursement-store.ts'
import { parseCsvSubmission } from '../switch/disbursements/csv-format.ts'
import { contentHash } from '../switch/disbursements/submission.ts'
import { reportAnswer } from '../switch/disbursements/disbursement-reports.ts'
import { allItems } from '../switch/disbursements/disbursement-routes.ts'

const n = Number(process.argv[2] ?? 100_000)
const t = await createTestDb('disb_bench')
try {
  const oracle = createMysqlOracle(t.db)
  const ids = Array.from({ length: n }, (_, i) => `2558${String(i).padStart(8, '0')}`)
  for (const fsp of ['mmp-a', 'mmp-b']) await oracle.registerAll(ids.filter((_, i) => (i % 2 === 0) === (fsp === 'mmp-a')).map((id) => ({ type: 'MSISDN', id })), fsp)
  const csv = `id_type,id_value,amount,currency,name,reference\n${ids.map((id, i) => `MSISDN,${id},${(i % 50) + 1}.25,USD,Beneficiary ${i},ref-${i}`).join('\n')}\n`
  const started = performance.now()
  const parsed = parseCsvSubmission(csv, 'bench-1')
  if (!parsed.ok) throw new Error(parsed.refusal.message)
  await createDisbursement(t.db, 'ministry', parsed.submission, contentHash(parsed.submission))
  const stored = performance.now()
  await createDisbursementEngine({ db: t.db, oracle, bulk: createMemoryBulkPayments(), log: silentLogger() }).run('bench-1')
  const paid = performance.now()
  const row = (await findDisbursement(t.db, 'bench-1'))!
  const report = reportAnswer(row, await allItems(t.db, row))
  const done = performance.now()
  const progress = await progressOf(t.db, row)
  console.log(JSON.stringify({ beneficiaries: n, paid: progress.paid, state: row.state, parseAndStore_ms: Math.round(stored - started), resolveAndPay_ms: Math.round(paid - stored), report_ms: Math.round(done - paid), total_ms: Math.round(done - started), reportBytes: report.body.length }))
} finally {
  await t.drop()
}
